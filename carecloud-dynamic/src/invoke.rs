//! [`Invoke`]: `invoke` on the interface clients.

use std::future::Future;
use std::pin::Pin;

use carecloud_api::{OperationId, ResponseValue, Result};
use serde_json::Value;

use crate::Args;

/// Sends any operation by its id with JSON arguments: implemented for
/// [`enterprise::Client`](carecloud_api::enterprise::Client) and
/// [`customer::Client`](carecloud_api::customer::Client), so with the trait
/// in scope (`use carecloud_dynamic::Invoke;`) `client.invoke(id, args)`
/// works on those, on `EnterpriseClient` and `CustomerClient`, and on a
/// client declared with `#[derive(CareCloudClient)]`.
///
/// Sealed: implemented for the interface clients only.
pub trait Invoke: sealed::Sealed {
    /// Sends the operation `id` with the arguments `args` and gives back the
    /// decoded reply as JSON. Fails without sending anything if the
    /// client's interface does not serve the operation or an argument is
    /// missing, unknown or does not fit (see the [crate] docs).
    ///
    /// The future owns what it needs (a clone of the client; it can be
    /// spawned). It is boxed on purpose: the dispatch reaches every
    /// operation's request and reply decoding, and a future returned
    /// unboxed would be compiled again in every crate that awaits it;
    /// boxed, it is compiled once, in this crate, for one allocation per
    /// call.
    fn invoke(
        &self,
        id: OperationId,
        args: Args,
    ) -> impl Future<Output = Result<ResponseValue<Value>>> + Send + 'static;
}

/// The future [`Invoke::invoke`] returns.
type Invocation = Pin<Box<dyn Future<Output = Result<ResponseValue<Value>>> + Send + 'static>>;

mod sealed {
    /// Keeps [`Invoke`](super::Invoke) to the interface clients.
    pub trait Sealed {}
}

/// `Invoke` for the client of the interface module `$module`.
macro_rules! invoke_for {
    ($module:ident) => {
        impl sealed::Sealed for carecloud_api::$module::Client {}

        impl Invoke for carecloud_api::$module::Client {
            fn invoke(
                &self,
                id: OperationId,
                args: Args,
            ) -> impl Future<Output = Result<ResponseValue<Value>>> + Send + 'static {
                let call: Invocation =
                    Box::pin(crate::generated::$module::invoke(self.clone(), id, args));
                call
            }
        }
    };
}

invoke_for!(enterprise);
invoke_for!(customer);

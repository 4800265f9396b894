//! The hand-written runtime every generated client carries (progenitor's
//! "inner type") and the hooks through which it acts on each request. The
//! generated code only calls the hooks; everything here can change without
//! regenerating.

use reqwest::header::{HeaderValue, InvalidHeaderValue};

/// Per-client settings applied to every request.
#[derive(Clone, Debug, Default)]
pub struct Runtime {
    accept_language: Option<HeaderValue>,
}

impl Runtime {
    /// Sends `Accept-Language: <value>` on every request that does not set it
    /// itself (e.g. `"en"`, `"cs, en-gb;q=0.8"`). Localises names,
    /// descriptions and error messages.
    pub fn with_accept_language(mut self, value: &str) -> Result<Self, InvalidHeaderValue> {
        self.accept_language = Some(HeaderValue::from_str(value)?);
        Ok(self)
    }

    /// The default `Accept-Language`, if set.
    pub fn accept_language(&self) -> Option<&HeaderValue> {
        self.accept_language.as_ref()
    }

    /// Adds what the runtime adds to every request.
    #[cfg(any(feature = "enterprise", feature = "customer"))]
    fn prepare(&self, request: &mut reqwest::Request) {
        if let Some(language) = &self.accept_language {
            request
                .headers_mut()
                .entry(reqwest::header::ACCEPT_LANGUAGE)
                .or_insert_with(|| language.clone());
        }
    }
}

#[cfg(any(feature = "enterprise", feature = "customer"))]
macro_rules! hooks_for {
    ($client:ty) => {
        impl progenitor_client::ClientHooks<Runtime> for $client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                progenitor_client::ClientInfo::inner(self).prepare(request);
                Ok(())
            }
        }
    };
}

#[cfg(feature = "enterprise")]
hooks_for!(crate::enterprise::Client);
#[cfg(feature = "customer")]
hooks_for!(crate::customer::Client);

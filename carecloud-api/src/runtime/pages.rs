//! Walking a paged list: [`Pages`] and [`Items`], the streams the `pages()`
//! and `items()` methods of every list operation's builder return.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use super::{Call, ResponseValue};
use crate::Result;

/// The page size when the caller set no `count`: the API's own default.
pub const DEFAULT_PAGE_SIZE: u64 = 100;

type PageFuture<P> = Pin<Box<dyn Future<Output = Result<ResponseValue<P>>> + Send>>;

/// The pages of a list, one request each: from the `offset` the builder set
/// (or 0), `count` items per page (the builder's, or [`DEFAULT_PAGE_SIZE`]),
/// every other parameter as the builder set it, until `data.total_items`
/// items have been seen (or a page comes back empty, or short when the
/// server gives no total). An error is the stream's last item.
///
/// A [`Stream`] (use `futures::StreamExt` / `TryStreamExt`), and
/// [`next`](Self::next) works without any extra crate. It owns what it needs
/// (a clone of the client), so it can move to another task:
///
/// ```no_run
/// # #[cfg(all(feature = "enterprise", feature = "customers"))]
/// # async fn demo(client: carecloud_api::EnterpriseClient) -> carecloud_api::Result<()> {
/// let mut pages = client.get_customers().count(500).pages();
/// while let Some(page) = pages.next().await {
///     let page = page?;
///     println!("{} of {:?}", page.data.customers().len(), page.data.total_items);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until polled"]
pub struct Pages<P> {
    call: Call,
    count: u64,
    offset: u64,
    measure: fn(&P) -> (usize, Option<i64>),
    pending: Option<PageFuture<P>>,
    done: bool,
}

// Made by the generated `pages()` of the groups compiled (none may be).
#[cfg_attr(any(test, not(feature = "full")), allow(dead_code))]
impl<P: DeserializeOwned + Send + 'static> Pages<P> {
    /// Walks the list `call` asks for; `measure` gives a page's number of
    /// items and `data.total_items`.
    pub(crate) fn new(call: Call, measure: fn(&P) -> (usize, Option<i64>)) -> Self {
        let number = |name| call.query_value(name).and_then(|v| v.parse::<u64>().ok());
        let count = number("count")
            .filter(|&c| c > 0)
            .unwrap_or(DEFAULT_PAGE_SIZE);
        let offset = number("offset").unwrap_or(0);
        Self {
            call,
            count,
            offset,
            measure,
            pending: None,
            done: false,
        }
    }

    /// The next page, `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<ResponseValue<P>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn request(&self) -> PageFuture<P> {
        let mut call = self.call.clone();
        call.query("count", self.count.to_string());
        call.query("offset", self.offset.to_string());
        Box::pin(call.send::<P>())
    }
}

impl<P: DeserializeOwned + Send + 'static> Stream for Pages<P> {
    type Item = Result<ResponseValue<P>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        if self.pending.is_none() {
            let request = self.request();
            self.pending = Some(request);
        }
        let Some(pending) = self.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        self.pending = None;
        match &result {
            Ok(page) => {
                let (items, total) = (self.measure)(page);
                self.offset += items as u64;
                self.done = items == 0
                    || match total {
                        Some(total) => self.offset >= u64::try_from(total).unwrap_or(0),
                        None => (items as u64) < self.count,
                    };
            }
            Err(_) => self.done = true,
        }
        Poll::Ready(Some(result))
    }
}

/// The items of a list, page after page (see [`Pages`]); an error is the
/// stream's last item.
///
/// ```no_run
/// # #[cfg(all(feature = "enterprise", feature = "customers"))]
/// # async fn demo(client: carecloud_api::EnterpriseClient) -> carecloud_api::Result<()> {
/// let mut customers = client.get_customers().sort_field("last_name").items();
/// while let Some(customer) = customers.next().await {
///     println!("{:?}", customer?.customer_id);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until polled"]
pub struct Items<P, T> {
    pages: Pages<P>,
    take: fn(P) -> Vec<T>,
    ready: VecDeque<T>,
}

#[cfg_attr(any(test, not(feature = "full")), allow(dead_code))]
impl<P: DeserializeOwned + Send + 'static, T> Items<P, T> {
    pub(crate) fn new(pages: Pages<P>, take: fn(P) -> Vec<T>) -> Self {
        Self {
            pages,
            take,
            ready: VecDeque::new(),
        }
    }

    /// The next item, `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

// Nothing is pinned in place: the page future is boxed.
impl<P, T> Unpin for Items<P, T> {}
impl<P> Unpin for Pages<P> {}

impl<P: DeserializeOwned + Send + 'static, T> Stream for Items<P, T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut self.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => {
                    let items = (self.take)(page.into_inner());
                    self.ready.extend(items);
                }
            }
        }
    }
}

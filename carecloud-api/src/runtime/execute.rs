//! How a built [`Call`] is sent: attempts through the session, retries,
//! bounded reading of the reply, decoding, and the call's tracing span.

use std::time::{Duration, Instant};

use hyper::body::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::retry::Decision;
use super::{Call, Core, ResponseValue};
use crate::error::scrub::Scrub;
use crate::error::{ApiError, DecodeError, StatusError, TransportError};
use crate::operation::Operation;
use crate::{Error, Result};

/// The most of an error reply's body that is read (the envelope is small;
/// an HTML error page is cut here).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A reply read to its end: status, headers and body.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// A reply that came, with what the call needs to decode it: the secrets
/// to keep out of errors, the call's span and whether its log lines may
/// quote the reply.
struct Received {
    reply: Reply,
    scrub: Scrub,
    span: tracing::Span,
    log_bodies: bool,
}

impl Call {
    /// Sends the request and decodes a 2xx reply as `T`.
    pub(crate) async fn send<T: DeserializeOwned>(self) -> Result<ResponseValue<T>> {
        let Received {
            reply,
            scrub,
            span,
            log_bodies,
        } = self.execute().await?;
        match serde_json::from_slice(&reply.body) {
            Ok(value) => Ok(ResponseValue::new(value, reply.status, reply.headers)),
            Err(e) => {
                let error =
                    Error::Decode(DecodeError::new::<T>(reply.status, &reply.body, &e, &scrub));
                span.in_scope(|| log_failure(&error, log_bodies));
                Err(error)
            }
        }
    }

    /// Sends the request, whose reply has no body (any body is ignored).
    pub(crate) async fn send_empty(self) -> Result<ResponseValue<()>> {
        let reply = self.execute().await?.reply;
        Ok(ResponseValue::new((), reply.status, reply.headers))
    }

    /// Builds the request and sends it until it succeeds or the retry policy
    /// gives up, inside the call's span.
    async fn execute(self) -> Result<Received> {
        let op = self.op;
        // A login's or token request's reply is never quoted, not even on
        // request.
        let log_bodies = self.core.runtime.log_bodies() && op.session.is_none();
        let span = tracing::info_span!(
            "carecloud.call",
            operation = op.operation_id,
            method = op.method.as_str(),
            path = op.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        async move {
            let started = Instant::now();
            let result = self.attempts().await;
            let span = tracing::Span::current();
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            match &result {
                Ok((reply, _, attempts)) => {
                    span.record("status", reply.status.as_u16());
                    span.record("attempts", attempts);
                }
                Err((error, attempts)) => {
                    if let Some(status) = error.status() {
                        span.record("status", status.as_u16());
                    }
                    span.record("attempts", attempts);
                    log_failure(error, log_bodies);
                }
            }
            result
                .map(|(reply, scrub, _)| Received {
                    reply,
                    scrub,
                    span,
                    log_bodies,
                })
                .map_err(|(error, _)| error)
        }
        .instrument(span)
        .await
    }

    /// The attempts of one call: the reply, the secrets it may echo, and the
    /// number of attempts made.
    async fn attempts(self) -> std::result::Result<(Reply, Scrub, u32), (Error, u32)> {
        let request = self.build().map_err(|e| (e, 0))?;
        let core = &self.core;
        let retrier = core.runtime.retrier();
        let mut taken = 0;
        let mut attempt = 1;
        loop {
            let mut scrub = self.scrub.clone();
            if self.op.session.is_some() {
                scrub.withhold_reply();
            }
            // The body is bytes, so the copy is exact and always possible.
            let sent = request.try_clone().ok_or_else(|| {
                (
                    Error::InvalidRequest(format!(
                        "`{}`: the request cannot be copied",
                        self.op.name
                    )),
                    attempt,
                )
            })?;
            let result = match attempt_once(core, self.op, sent, &mut scrub).await {
                Ok(reply) if reply.status.is_success() => Ok(reply),
                Ok(reply) => Err(reply_error(reply, &scrub)),
                Err(error) => Err(error),
            };
            let error = match result {
                Ok(reply) => {
                    retrier.succeeded(taken);
                    return Ok((reply, scrub, attempt));
                }
                Err(error) => error,
            };
            match retrier.decide(self.op.method, &error, attempt) {
                Decision::Retry {
                    delay,
                    reason,
                    cost,
                } => {
                    tracing::info!(
                        attempt,
                        reason,
                        delay_ms = delay.as_millis() as u64,
                        "retrying"
                    );
                    taken += cost;
                    sleep(delay).await;
                    attempt += 1;
                }
                Decision::Stop { why } => {
                    if let Some(why) = why {
                        tracing::info!(attempt, why, "not retrying");
                    }
                    return Err((error, attempt));
                }
            }
        }
    }
}

/// The `call failed` event: what failed, never the reply's words or body
/// (see [`Error::for_log`]), unless the client opted in to excerpts.
fn log_failure(error: &Error, log_bodies: bool) {
    let excerpt = if log_bodies {
        error.reply_excerpt()
    } else {
        None
    };
    tracing::debug!(error = %error.for_log(), excerpt, "call failed");
}

async fn sleep(delay: Duration) {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}

/// One attempt: through the session (token, 401 recovery), then the reply
/// read to its end within the client's limit.
async fn attempt_once(
    core: &Core,
    op: &'static Operation,
    request: reqwest::Request,
    scrub: &mut Scrub,
) -> Result<Reply> {
    let mut response = match core.runtime.identity() {
        None => core
            .http
            .execute(request)
            .await
            .map_err(|e| Error::Transport(TransportError::new(e)))?,
        Some(identity) => identity.execute(core, op, request, scrub).await?,
    };
    let status = response.status();
    let limit = if status.is_success() {
        core.runtime.max_response_bytes()
    } else {
        ERROR_BODY_LIMIT
    };
    if status.is_success()
        && response
            .content_length()
            .is_some_and(|declared| declared > limit as u64)
    {
        return Err(Error::Decode(DecodeError::too_large(status, limit)));
    }
    // Taken, not copied: the body is read without them.
    let headers = std::mem::take(response.headers_mut());
    match read_body(response, limit).await? {
        Body::Complete(body) => Ok(Reply {
            status,
            headers,
            body,
        }),
        // An error page is judged by its start.
        Body::Cut(body) if !status.is_success() => Ok(Reply {
            status,
            headers,
            body,
        }),
        Body::Cut(_) => Err(Error::Decode(DecodeError::too_large(status, limit))),
    }
}

enum Body {
    Complete(Bytes),
    /// The first `limit` bytes of a longer body (the rest was not read).
    Cut(Bytes),
}

/// Reads at most `limit` bytes of the body. A body that ends before its
/// `Content-Length` (or its last chunk) is a transport error
/// ([`TransportKind::Body`](crate::error::TransportKind::Body)).
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Body> {
    let transport = |e| Error::Transport(TransportError::new(e));
    let declared = response.content_length().unwrap_or(0);
    let mut body = Chunks::new(limit, usize::try_from(declared).unwrap_or(usize::MAX));
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if body.push(chunk) == Room::Full {
            return Ok(Body::Cut(body.finish()));
        }
    }
    Ok(Body::Complete(body.finish()))
}

/// A body being read, up to a limit. A body that comes in one chunk (the
/// common case for a page on a warm connection) is kept as the HTTP stack
/// handed it, without a copy; one in several chunks is copied once, into
/// a buffer sized for the whole of it.
struct Chunks {
    limit: usize,
    /// The size the reply declared (`usize::MAX` when it did not).
    declared: usize,
    read: Read,
}

enum Read {
    Nothing,
    One(Bytes),
    Joined(Vec<u8>),
}

/// Whether a body may go on after a chunk.
#[derive(Debug, PartialEq, Eq)]
enum Room {
    Left,
    /// The limit was reached and the chunk cut there: the body is longer.
    Full,
}

impl Chunks {
    fn new(limit: usize, declared: usize) -> Self {
        Self {
            limit,
            declared,
            read: Read::Nothing,
        }
    }

    fn len(&self) -> usize {
        match &self.read {
            Read::Nothing => 0,
            Read::One(bytes) => bytes.len(),
            Read::Joined(joined) => joined.len(),
        }
    }

    /// Adds the next chunk, cut where the limit is.
    fn push(&mut self, mut chunk: Bytes) -> Room {
        let room = self.limit - self.len();
        let full = chunk.len() > room;
        if full {
            chunk.truncate(room);
        }
        if !chunk.is_empty() {
            self.read = match std::mem::replace(&mut self.read, Read::Nothing) {
                Read::Nothing => Read::One(chunk),
                Read::One(first) => {
                    let whole = first.len() + chunk.len();
                    let mut joined = Vec::with_capacity(self.declared.min(self.limit).max(whole));
                    joined.extend_from_slice(&first);
                    joined.extend_from_slice(&chunk);
                    Read::Joined(joined)
                }
                Read::Joined(mut joined) => {
                    joined.extend_from_slice(&chunk);
                    Read::Joined(joined)
                }
            };
        }
        if full { Room::Full } else { Room::Left }
    }

    /// The body read.
    fn finish(self) -> Bytes {
        match self.read {
            Read::Nothing => Bytes::new(),
            Read::One(bytes) => bytes,
            Read::Joined(joined) => Bytes::from(joined),
        }
    }
}

/// The error a reply that is not 2xx stands for.
fn reply_error(reply: Reply, scrub: &Scrub) -> Error {
    if (reply.status.is_client_error() || reply.status.is_server_error())
        && let Some(error) = ApiError::parse(reply.status, &reply.headers, &reply.body, scrub)
    {
        return Error::Api(error);
    }
    Error::UnexpectedStatus(StatusError::new(
        reply.status,
        &reply.headers,
        &reply.body,
        scrub,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_in_one_chunk_is_not_copied() {
        let page = Bytes::from(vec![b'x'; 70_000]);
        let mut body = Chunks::new(1 << 20, page.len());
        assert_eq!(body.push(page.clone()), Room::Left);
        let read = body.finish();
        assert_eq!(read.as_ptr(), page.as_ptr(), "the chunk itself, not a copy");
        assert_eq!(read.len(), page.len());
    }

    #[test]
    fn chunks_are_joined_in_order_once() {
        let mut body = Chunks::new(1 << 20, 9);
        for chunk in ["abc", "", "def", "ghi"] {
            assert_eq!(body.push(Bytes::from(chunk)), Room::Left);
        }
        let Read::Joined(joined) = &body.read else {
            panic!("several chunks are joined");
        };
        assert_eq!(joined.capacity(), 9, "sized for the declared length");
        assert_eq!(&body.finish()[..], b"abcdefghi");
        let mut undeclared = Chunks::new(1 << 20, usize::MAX);
        undeclared.push(Bytes::from("ab"));
        undeclared.push(Bytes::from("cd"));
        assert_eq!(&undeclared.finish()[..], b"abcd");
        assert!(Chunks::new(10, 0).finish().is_empty());
    }

    #[test]
    fn the_limit_cuts_the_body() {
        let mut one = Chunks::new(4, usize::MAX);
        assert_eq!(one.push(Bytes::from("abcdef")), Room::Full);
        assert_eq!(&one.finish()[..], b"abcd");
        let mut several = Chunks::new(5, usize::MAX);
        assert_eq!(several.push(Bytes::from("abc")), Room::Left);
        assert_eq!(several.push(Bytes::from("defg")), Room::Full);
        assert_eq!(&several.finish()[..], b"abcde");
        let mut exact = Chunks::new(3, 3);
        assert_eq!(exact.push(Bytes::from("abc")), Room::Left);
        assert_eq!(exact.push(Bytes::from("d")), Room::Full);
        assert_eq!(&exact.finish()[..], b"abc");
    }
}

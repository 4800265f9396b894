//! How a built [`Call`] is sent: attempts through the session, retries,
//! bounded reading of the reply, decoding, and the call's tracing span.

use std::time::{Duration, Instant};

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
    body: Vec<u8>,
}

impl Call {
    /// Sends the request and decodes a 2xx reply as `T`.
    pub(crate) async fn send<T: DeserializeOwned>(self) -> Result<ResponseValue<T>> {
        let (reply, scrub) = self.execute().await?;
        match serde_json::from_slice(&reply.body) {
            Ok(value) => Ok(ResponseValue::new(value, reply.status, reply.headers)),
            Err(e) => Err(Error::Decode(DecodeError::new::<T>(
                reply.status,
                &reply.body,
                &e,
                &scrub,
            ))),
        }
    }

    /// Sends the request, whose reply has no body (any body is ignored).
    pub(crate) async fn send_empty(self) -> Result<ResponseValue<()>> {
        let (reply, _) = self.execute().await?;
        Ok(ResponseValue::new((), reply.status, reply.headers))
    }

    /// Builds the request and sends it until it succeeds or the retry policy
    /// gives up, inside the call's span.
    async fn execute(self) -> Result<(Reply, Scrub)> {
        let op = self.op;
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
                    tracing::debug!(error = %error, "call failed");
                }
            }
            result
                .map(|(reply, scrub, _)| (reply, scrub))
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
    let response = match core.runtime.identity() {
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
    let headers = response.headers().clone();
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
    Complete(Vec<u8>),
    /// The first `limit` bytes of a longer body (the rest was not read).
    Cut(Vec<u8>),
}

/// Reads at most `limit` bytes of the body.
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Body> {
    let transport = |e| Error::Transport(TransportError::new(e));
    let declared = response.content_length().unwrap_or(0);
    let mut body = Vec::with_capacity(usize::try_from(declared).unwrap_or(0).min(limit));
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok(Body::Cut(body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Body::Complete(body))
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

//! A fleet of clients sharing one enterprise bearer token (or one customer
//! device token) through a real redis-server (`RedisTokenStore`), against
//! the embedded sandbox and its login and token counters. Each client has its own store connection and its own
//! in-process state, as separate processes would.
//!
//! Needs `redis-server` on the PATH: each test starts its own on a free
//! port. Without it the tests are reported as ignored, unless
//! `CARECLOUD_REQUIRE_REDIS=1` (CI), where they fail.

mod redis_server;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use carecloud_api::auth::AuthErrorKind;
use carecloud_api::auth::{AuthError, BoxFuture, CredentialSource, SavedBearerToken};
use carecloud_api::types::Secret;
use carecloud_api::{
    CareCloudClient, CustomerClient, EnterpriseCredentials, Interface, OperationId,
};
use carecloud_redis::{RedisTokenStore, TokenStoreKey};
use carecloud_sandbox::Sandbox;
use libtest_mimic::{Arguments, Failed, Trial};

use redis_server::RedisServer;

/// The sandbox's API user, recording the token of each login this client
/// makes (`save_token`).
#[derive(Clone, Debug)]
struct Recorded {
    credentials: EnterpriseCredentials,
    logins: Arc<Mutex<Vec<Secret>>>,
}

impl Recorded {
    fn new() -> Self {
        Self {
            credentials: Sandbox::enterprise_credentials(),
            logins: Arc::default(),
        }
    }

    fn tokens(&self) -> Vec<Secret> {
        self.logins.lock().unwrap().clone()
    }
}

impl CredentialSource for Recorded {
    fn credentials(&self) -> BoxFuture<'_, Result<EnterpriseCredentials, AuthError>> {
        Box::pin(async move { Ok(self.credentials.clone()) })
    }

    fn save_token<'a>(
        &'a self,
        token: &'a SavedBearerToken,
    ) -> BoxFuture<'a, Result<(), AuthError>> {
        self.logins.lock().unwrap().push(token.token().clone());
        Box::pin(async { Ok(()) })
    }
}

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, credentials = Recorded)]
struct FleetClient {
    client: carecloud_api::enterprise::Client,
}

/// One member of the fleet: its own store (connection) and state.
fn member(sandbox: &Sandbox, store: RedisTokenStore) -> (FleetClient, Recorded) {
    let source = Recorded::new();
    let client = FleetClient::builder(sandbox.url(), source.clone())
        .token_store(Arc::new(store))
        .build()
        .expect("client builds");
    (client, source)
}

fn store(redis: &RedisServer) -> RedisTokenStore {
    RedisTokenStore::new(&redis.url()).expect("a Redis URL")
}

fn logins(sandbox: &Sandbox) -> usize {
    sandbox.count(Interface::Enterprise, OperationId::PostUserLogin)
}

/// Every key of the server: name, `PTTL` (ms) and value.
async fn keys(redis: &RedisServer) -> Vec<(String, i64, String)> {
    let client = redis::Client::open(redis.url()).unwrap();
    let mut con = client.get_multiplexed_async_connection().await.unwrap();
    let names: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut con)
        .await
        .unwrap();
    let mut out = Vec::new();
    for name in names {
        let ttl: i64 = redis::cmd("PTTL")
            .arg(&name)
            .query_async(&mut con)
            .await
            .unwrap();
        let value: String = redis::cmd("GET")
            .arg(&name)
            .query_async(&mut con)
            .await
            .unwrap();
        out.push((name, ttl, value));
    }
    out
}

/// The token stored in Redis (the one key that is not a lock).
async fn stored_token(redis: &RedisServer) -> Option<String> {
    let keys = keys(redis).await;
    let (_, _, value) = keys.iter().find(|(name, _, _)| !name.ends_with(":lock"))?;
    let value: serde_json::Value = serde_json::from_str(value).ok()?;
    value["token"].as_str().map(str::to_owned)
}

/// Sends one authenticated call from each client at once; every result.
async fn call_all(clients: &[FleetClient]) -> Vec<carecloud_api::Result<()>> {
    at_once(clients, |c| c.get_stores().send()).await
}

/// `call` of each client, all at once (each in a task); every result.
async fn at_once<C, T, Fut>(
    clients: &[C],
    call: impl Fn(&C) -> Fut,
) -> Vec<carecloud_api::Result<()>>
where
    Fut: Future<Output = carecloud_api::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = clients
        .iter()
        .map(|c| {
            let call = call(c);
            tokio::spawn(async move { call.await.map(drop) })
        })
        .collect();
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.expect("no panic"));
    }
    out
}

fn all_ok(results: &[carecloud_api::Result<()>]) -> Result<(), Failed> {
    for (i, result) in results.iter().enumerate() {
        if let Err(e) = result {
            return Err(format!("client {i}: {e}").into());
        }
    }
    Ok(())
}

/// The tracing output of a test (every level), to look for tokens and
/// warnings in.
#[derive(Clone, Default)]
struct Trace(Arc<Mutex<Vec<u8>>>);

impl Trace {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Trace {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `test` on a single-threaded runtime with its trace captured.
fn run<F, Fut>(test: F) -> Result<(), Failed>
where
    F: FnOnce(Trace) -> Fut,
    Fut: Future<Output = Result<(), Failed>>,
{
    let trace = Trace::default();
    let writer = trace.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(test(trace))
}

fn check(condition: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}

/// 20 clients started together: one login; the key's TTL is within the
/// token's life; the trace holds no token.
async fn cold_start(trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await?;
    let life = Duration::from_secs(3600);
    sandbox.set_token_lifetime(life);
    let fleet: Vec<_> = (0..20).map(|_| member(&sandbox, store(&redis))).collect();
    let clients: Vec<FleetClient> = fleet.iter().map(|(c, _)| c.clone()).collect();
    all_ok(&call_all(&clients).await)?;
    check(logins(&sandbox) == 1, || {
        format!("{} logins for 20 clients", logins(&sandbox))
    })?;
    all_ok(&call_all(&clients).await)?;
    check(logins(&sandbox) == 1, || "a second round logged in".into())?;
    let token = fleet
        .iter()
        .flat_map(|(_, s)| s.tokens())
        .next()
        .ok_or("no client logged in")?;
    let keys = keys(&redis).await;
    check(keys.len() == 1, || format!("keys left: {:?}", names(&keys)))?;
    for (name, ttl, _) in &keys {
        check(*ttl > 0 && *ttl as u128 <= life.as_millis(), || {
            format!(
                "`{name}` has TTL {ttl} ms; the token lives {} ms",
                life.as_millis()
            )
        })?;
        check(!name.contains(carecloud_sandbox::API_USER_PASSWORD), || {
            "the key holds the password".into()
        })?;
    }
    check(
        stored_token(&redis).await.as_deref() == Some(token.expose()),
        || "the stored token is not the login's".into(),
    )?;
    let trace = trace.text();
    check(trace.contains("API user logged in"), || {
        "nothing traced".into()
    })?;
    check(!trace.contains(token.expose()), || {
        "the trace holds the token".into()
    })?;
    Ok(())
}

fn names(keys: &[(String, i64, String)]) -> Vec<&str> {
    keys.iter().map(|(n, _, _)| n.as_str()).collect()
}

/// The lock holder's login outlasts the lock: a second client logs in, and
/// the first's late token is not stored over the second's.
async fn stale_lock_holder(_trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await?;
    let ttl = Duration::from_millis(300);
    let (first, first_logins) = member(&sandbox, store(&redis).with_lock_ttl(ttl));
    let (second, second_logins) = member(&sandbox, store(&redis).with_lock_ttl(ttl));
    // The first's login takes 900 ms (three lock lifetimes).
    sandbox.set_latency(Duration::from_millis(900));
    let slow = tokio::spawn(first.get_stores().send());
    tokio::time::sleep(Duration::from_millis(450)).await;
    sandbox.set_latency(Duration::ZERO);
    second.get_stores().send().await?;
    slow.await.expect("no panic")?;
    check(logins(&sandbox) == 2, || {
        format!("{} logins", logins(&sandbox))
    })?;
    let (late, winner) = (first_logins.tokens(), second_logins.tokens());
    check(late.len() == 1 && winner.len() == 1, || {
        "one login each".into()
    })?;
    check(
        stored_token(&redis).await.as_deref() == Some(winner[0].expose()),
        || "the stored token is not the second (the stale holder wrote over it)".into(),
    )?;
    // The first went on with the stored token: a revocation costs the
    // pair one login.
    sandbox.expire_enterprise_tokens();
    all_ok(&call_all(&[first, second]).await)?;
    check(logins(&sandbox) == 3, || {
        format!("{} logins", logins(&sandbox))
    })?;
    Ok(())
}

/// The sandbox revokes the token while 10 clients call in a loop: one
/// re-login for all of them, every call succeeds.
async fn revoke_under_load(_trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let sandbox = Arc::new(Sandbox::start().await?);
    let clients: Vec<FleetClient> = (0..10).map(|_| member(&sandbox, store(&redis)).0).collect();
    all_ok(&call_all(&clients).await)?;
    check(logins(&sandbox) == 1, || "warm-up".into())?;
    let tasks: Vec<_> = clients
        .iter()
        .map(|client| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..30 {
                    client.get_stores().send().await?;
                }
                Ok::<_, carecloud_api::Error>(())
            })
        })
        .collect();
    let started = Instant::now();
    while sandbox.requests().len() < 60 && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let revoked = sandbox.expire_enterprise_tokens();
    check(revoked == 1, || format!("{revoked} live tokens revoked"))?;
    for task in tasks {
        task.await.expect("no panic")?;
    }
    let refused = sandbox
        .requests()
        .iter()
        .filter(|r| r.status == 401)
        .count();
    check(refused > 0, || {
        "the revocation came after every call".into()
    })?;
    check(logins(&sandbox) == 2, || {
        format!("{} logins after {refused} refusals", logins(&sandbox))
    })?;
    Ok(())
}

/// Redis killed: calls go on, one login per client and one warning each;
/// Redis back: the clients share one token again.
async fn redis_outage(trace: Trace) -> Result<(), Failed> {
    let mut redis = RedisServer::start();
    let sandbox = Sandbox::start().await?;
    let clients: Vec<FleetClient> = (0..5).map(|_| member(&sandbox, store(&redis)).0).collect();
    all_ok(&call_all(&clients).await)?;
    check(logins(&sandbox) == 1, || "warm-up".into())?;

    redis.kill();
    sandbox.expire_enterprise_tokens();
    for _ in 0..3 {
        all_ok(&call_all(&clients).await)?;
    }
    check(logins(&sandbox) == 1 + 5, || {
        format!(
            "{} logins while Redis was down (5 clients)",
            logins(&sandbox)
        )
    })?;
    let warnings = trace.text().matches("token store failing").count();
    check(warnings == 5, || {
        format!("{warnings} warnings for 5 clients")
    })?;

    redis.restart();
    // The clients ask the store again at most once a second (and the
    // connection is re-made in the background): call until one has stored
    // its token, then long enough for every other to ask once more.
    let deadline = Instant::now() + Duration::from_secs(10);
    while stored_token(&redis).await.is_none() {
        check(Instant::now() < deadline, || "nothing stored again".into())?;
        all_ok(&call_all(&clients).await)?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let settle = Instant::now() + Duration::from_millis(1300);
    while Instant::now() < settle {
        all_ok(&call_all(&clients).await)?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check(logins(&sandbox) == 6, || "converging logged in".into())?;
    // One token for all: when the first ends it, every other is refused
    // once and the fleet logs in once.
    sandbox.clear_requests();
    clients[0].log_out().await?;
    all_ok(&call_all(&clients).await)?;
    let refused = sandbox
        .requests()
        .iter()
        .filter(|r| r.status == 401)
        .count();
    check(refused == 4, || {
        format!("{refused} refusals after the shared token ended")
    })?;
    check(logins(&sandbox) == 1, || {
        format!("{} re-logins", logins(&sandbox))
    })?;
    check(trace.text().contains("tokens are shared again"), || {
        "no recovery logged".into()
    })?;
    Ok(())
}

/// A store encrypting with the key of 32 `byte`s.
fn sealed_store(redis: &RedisServer, byte: u8) -> RedisTokenStore {
    store(redis).with_encryption_key(TokenStoreKey::new([byte; 32]))
}

/// The one token key (not a lock) and its raw value.
async fn token_entry(redis: &RedisServer) -> Option<(String, String)> {
    keys(redis)
        .await
        .into_iter()
        .find(|(name, _, _)| !name.ends_with(":lock"))
        .map(|(name, _, value)| (name, value))
}

async fn set_raw(redis: &RedisServer, key: &str, value: &str) {
    let client = redis::Client::open(redis.url()).unwrap();
    let mut con = client.get_multiplexed_async_connection().await.unwrap();
    let () = redis::cmd("SET")
        .arg(key)
        .arg(value)
        .arg("PX")
        .arg(600_000)
        .query_async(&mut con)
        .await
        .unwrap();
}

const UNUSABLE: &str = "the stored value is not usable";

/// Encrypted at rest: what Redis holds has no token in it; the clients
/// sharing the key share one login; the key's material shows nowhere.
async fn encrypted_at_rest(trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await?;
    let fleet: Vec<_> = (0..5)
        .map(|_| member(&sandbox, sealed_store(&redis, 7)))
        .collect();
    let clients: Vec<FleetClient> = fleet.iter().map(|(c, _)| c.clone()).collect();
    all_ok(&call_all(&clients).await)?;
    check(logins(&sandbox) == 1, || {
        format!("{} logins for 5 clients with one key", logins(&sandbox))
    })?;
    let token = fleet
        .iter()
        .flat_map(|(_, s)| s.tokens())
        .next()
        .ok_or("no client logged in")?;
    let (_, value) = token_entry(&redis).await.ok_or("nothing stored")?;
    check(value.starts_with("ccs1."), || {
        format!("not a sealed value: {} characters", value.len())
    })?;
    check(!value.contains(token.expose()), || {
        "the stored value holds the token".into()
    })?;
    // Not in any other encoding either: nothing of its bytes in the clear.
    check(!value.contains(&token.expose()[..12]), || {
        "the stored value holds part of the token".into()
    })?;
    check(stored_token(&redis).await.is_none(), || {
        "the value reads as a plain token".into()
    })?;
    // A restarted client of the fleet (cold state, same key) takes it.
    let (late, _) = member(&sandbox, sealed_store(&redis, 7));
    late.get_stores().send().await?;
    check(logins(&sandbox) == 1, || {
        "a restarted member logged in".into()
    })?;
    // A rotation: the new key reads the old key's value.
    let (rotated, _) = member(
        &sandbox,
        sealed_store(&redis, 8).with_previous_keys([TokenStoreKey::new([7; 32])]),
    );
    rotated.get_stores().send().await?;
    check(logins(&sandbox) == 1, || {
        "a member with the previous key logged in".into()
    })?;
    let debug = format!("{:?}", sealed_store(&redis, 7));
    let id = TokenStoreKey::new([7; 32]).id().to_owned();
    check(debug.contains(&id) && !debug.contains("[7, 7"), || {
        format!("Debug: {debug}")
    })?;
    let trace = trace.text();
    check(!trace.contains(token.expose()), || {
        "the trace holds the token".into()
    })?;
    check(!trace.contains(UNUSABLE), || "a value was refused".into())?;
    Ok(())
}

/// A client with another key cannot read the stored token: it logs in by
/// itself and warns once.
async fn another_key_logs_in_itself(trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await?;
    let (first, _) = member(&sandbox, sealed_store(&redis, 1));
    first.get_stores().send().await?;
    let (other, other_logins) = member(&sandbox, sealed_store(&redis, 2));
    other.get_stores().send().await?;
    other.get_stores().send().await?;
    check(
        logins(&sandbox) == 2 && other_logins.tokens().len() == 1,
        || format!("{} logins", logins(&sandbox)),
    )?;
    let trace = trace.text();
    let warnings = trace.matches(UNUSABLE).count();
    check(warnings == 1, || format!("{warnings} warnings"))?;
    check(trace.contains("a key this store does not have"), || {
        "the warning does not say why".into()
    })?;
    Ok(())
}

/// An altered value is no token: a fresh login, no panic, one warning.
async fn tampered_value(trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await?;
    let (first, first_logins) = member(&sandbox, sealed_store(&redis, 3));
    first.get_stores().send().await?;
    let (key, value) = token_entry(&redis).await.ok_or("nothing stored")?;
    // One character of the ciphertext changed (still valid base64url).
    let mut altered: Vec<char> = value.chars().collect();
    let at = altered.len() - 10;
    altered[at] = if altered[at] == 'A' { 'B' } else { 'A' };
    let altered: String = altered.into_iter().collect();
    set_raw(&redis, &key, &altered).await;
    // A plain-text token (the old format) is refused the same way.
    let (second, second_logins) = member(&sandbox, sealed_store(&redis, 3));
    second.get_stores().send().await?;
    check(
        logins(&sandbox) == 2 && second_logins.tokens().len() == 1,
        || format!("{} logins after tampering", logins(&sandbox)),
    )?;
    let first_token = first_logins.tokens()[0].clone();
    let old_format = format!(
        r#"{{"token":"{}","until_ms":{}}}"#,
        first_token.expose(),
        u64::MAX / 2
    );
    set_raw(&redis, &key, &old_format).await;
    let (third, third_logins) = member(&sandbox, sealed_store(&redis, 3));
    third.get_stores().send().await?;
    check(
        logins(&sandbox) == 3 && third_logins.tokens().len() == 1,
        || format!("{} logins after a plain value", logins(&sandbox)),
    )?;
    check(third_logins.tokens()[0] != first_token, || {
        "the plain value was taken".into()
    })?;
    let trace = trace.text();
    check(trace.matches(UNUSABLE).count() == 2, || {
        format!("{} warnings", trace.matches(UNUSABLE).count())
    })?;
    check(trace.contains("fails authentication"), || {
        "no reason".into()
    })?;
    check(trace.contains("not encrypted"), || "no reason".into())?;
    Ok(())
}

/// A value copied under another key (another project here) does not open
/// there: the client logs in by itself instead of sending the other
/// project's token.
async fn moved_value(trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let (one, two) = (Sandbox::start().await?, Sandbox::start().await?);
    let (a, _) = member(&one, sealed_store(&redis, 4));
    a.get_stores().send().await?;
    let (from, value) = token_entry(&redis).await.ok_or("nothing stored")?;
    let (b, _) = member(&two, sealed_store(&redis, 4));
    b.get_stores().send().await?;
    let to = keys(&redis)
        .await
        .into_iter()
        .map(|(name, _, _)| name)
        .find(|name| *name != from && !name.ends_with(":lock"))
        .ok_or("the second project stored nothing")?;
    set_raw(&redis, &to, &value).await;
    let (c, c_logins) = member(&two, sealed_store(&redis, 4));
    c.get_stores().send().await?;
    check(logins(&two) == 2 && c_logins.tokens().len() == 1, || {
        format!("{} logins on the second project", logins(&two))
    })?;
    let refused = two.requests().iter().filter(|r| r.status == 401).count();
    check(refused == 0, || {
        format!("{refused} calls sent with the moved token")
    })?;
    check(trace.text().contains("fails authentication"), || {
        "no warning".into()
    })?;
    Ok(())
}

/// A customer-interface client of device `device`, with its own store
/// connection and state.
fn kiosk(sandbox: &Sandbox, redis: &RedisServer, device: &str) -> CustomerClient {
    CustomerClient::builder(sandbox.url(), Sandbox::device_registration(device))
        .token_store(Arc::new(store(redis)))
        .build()
        .expect("client builds")
}

fn tokens_created(sandbox: &Sandbox) -> usize {
    sandbox.count(Interface::Customer, OperationId::PostToken)
}

/// One call needing the device token from each client at once.
async fn kiosks_call(clients: &[CustomerClient]) -> Vec<carecloud_api::Result<()>> {
    at_once(clients, |c| c.get_stores().send()).await
}

/// Every client's device token, and whether they are all the same one.
fn one_token(clients: &[CustomerClient]) -> Result<Secret, Failed> {
    let ids: Vec<Option<Secret>> = clients.iter().map(CustomerClient::token_id).collect();
    let first = ids[0].clone().ok_or("client 0 has no token")?;
    check(ids.iter().all(|id| id.as_ref() == Some(&first)), || {
        "the clients hold different device tokens".into()
    })?;
    Ok(first)
}

/// 10 clients of one device started together: one device token (a second
/// would end the first), used by all.
async fn device_cold_start(_trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await?;
    let clients: Vec<_> = (0..10).map(|_| kiosk(&sandbox, &redis, "pos-7")).collect();
    all_ok(&kiosks_call(&clients).await)?;
    all_ok(&kiosks_call(&clients).await)?;
    check(tokens_created(&sandbox) == 1, || {
        format!(
            "{} device tokens created for 10 clients",
            tokens_created(&sandbox)
        )
    })?;
    check(sandbox.device_tokens() == 1, || "live tokens".into())?;
    let token = one_token(&clients)?;
    check(
        stored_token(&redis).await.as_deref() == Some(token.expose()),
        || "the stored token is not the clients'".into(),
    )?;
    check(clients.iter().all(|c| !c.customer_logged_in()), || {
        "a client says a customer is logged in".into()
    })?;
    let refused = sandbox
        .requests()
        .iter()
        .filter(|r| r.status == 401)
        .count();
    check(refused == 0, || format!("{refused} calls refused"))?;
    Ok(())
}

/// A customer logged in by one client is logged in for all (one token);
/// the stored token says so, so a client starting later knows, and knows
/// the login is lost when the token ends.
async fn device_customer_login(_trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await?;
    let clients: Vec<_> = (0..3).map(|_| kiosk(&sandbox, &redis, "pos-8")).collect();
    all_ok(&kiosks_call(&clients).await)?;
    // Before the login, a customer's record is out of reach (403).
    let john = carecloud_sandbox::JOHN_SMITH_ID;
    let before = clients[1].get_customer(john).send().await;
    check(
        before
            .as_ref()
            .err()
            .and_then(|e| e.status())
            .map(|s| s.as_u16())
            == Some(403),
        || format!("before the login: {:?}", before.map(drop)),
    )?;
    let customer_id = clients[0].log_in(Sandbox::john_smith_login()).await?;
    check(customer_id == john, || {
        format!("logged in as {customer_id}")
    })?;
    // The others use the same, now logged-in, token.
    for client in &clients[1..] {
        client.get_customer(&customer_id).send().await?;
    }
    let late = kiosk(&sandbox, &redis, "pos-8");
    check(!late.customer_logged_in(), || "no token yet".into())?;
    late.get_customer(&customer_id).send().await?;
    check(late.customer_logged_in(), || {
        "a client taking the stored token does not know a customer is logged in".into()
    })?;
    check(tokens_created(&sandbox) == 1, || {
        format!("{} tokens created", tokens_created(&sandbox))
    })?;
    // The token ended elsewhere (another token for the device): the late
    // client reports the lost login instead of going on anonymously.
    let elsewhere = CustomerClient::new(sandbox.url(), Sandbox::device_registration("pos-8"))?;
    elsewhere.get_stores().send().await?;
    let lost = late.get_customer(&customer_id).send().await;
    let kind = lost
        .as_ref()
        .err()
        .and_then(|e| e.as_auth())
        .map(|a| a.kind());
    check(kind == Some(AuthErrorKind::CustomerLoginRequired), || {
        format!("after the token ended: {:?}", lost.map(drop))
    })?;
    // A logout is written down too.
    let fresh: Vec<_> = (0..2).map(|_| kiosk(&sandbox, &redis, "pos-9")).collect();
    fresh[0].log_in(Sandbox::john_smith_login()).await?;
    fresh[0].log_out().await?;
    let after = kiosk(&sandbox, &redis, "pos-9");
    after.get_stores().send().await?;
    check(!after.customer_logged_in(), || {
        "the stored token still says a customer is logged in".into()
    })?;
    check(fresh[0].token_id() == after.token_id(), || {
        "the logout changed the token".into()
    })?;
    Ok(())
}

/// Another token created for the device elsewhere ends the fleet's: the
/// fleet replaces it with exactly one new token, which all of them use.
async fn device_token_replaced(_trace: Trace) -> Result<(), Failed> {
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await?;
    let clients: Vec<_> = (0..5).map(|_| kiosk(&sandbox, &redis, "pos-10")).collect();
    all_ok(&kiosks_call(&clients).await)?;
    let old = one_token(&clients)?;
    let elsewhere = CustomerClient::new(sandbox.url(), Sandbox::device_registration("pos-10"))?;
    elsewhere.get_stores().send().await?;
    check(tokens_created(&sandbox) == 2, || {
        "the outsider's token".into()
    })?;
    sandbox.clear_requests();
    for _ in 0..3 {
        all_ok(&kiosks_call(&clients).await)?;
    }
    check(tokens_created(&sandbox) == 1, || {
        format!(
            "the fleet created {} tokens to replace one",
            tokens_created(&sandbox)
        )
    })?;
    let new = one_token(&clients)?;
    check(new != old, || "the ended token is still used".into())?;
    check(
        stored_token(&redis).await.as_deref() == Some(new.expose()),
        || "the stored token is not the fleet's new one".into(),
    )?;
    check(sandbox.device_tokens() == 1, || "live tokens".into())?;
    let refused = sandbox
        .requests()
        .iter()
        .filter(|r| r.status == 401)
        .count();
    check(refused == 5, || format!("{refused} refusals for 5 clients"))?;
    Ok(())
}

/// A test's future.
type Test = std::pin::Pin<Box<dyn Future<Output = Result<(), Failed>>>>;

fn main() {
    let args = Arguments::from_args();
    let available = redis_server::available();
    let required = std::env::var_os("CARECLOUD_REQUIRE_REDIS").is_some_and(|v| v == "1");
    let trial = |name: &'static str, test: fn(Trace) -> Test| {
        Trial::test(name, move || {
            if !available {
                return Err("redis-server is not installed (CARECLOUD_REQUIRE_REDIS=1)".into());
            }
            run(test)
        })
        .with_ignored_flag(!available && !required)
    };
    let trials = vec![
        trial("twenty_clients_cold_start_log_in_once", |t| {
            Box::pin(cold_start(t))
        }),
        trial("a_stale_lock_holder_does_not_overwrite", |t| {
            Box::pin(stale_lock_holder(t))
        }),
        trial("a_revocation_under_load_costs_one_login", |t| {
            Box::pin(revoke_under_load(t))
        }),
        trial("redis_down_degrades_then_converges", |t| {
            Box::pin(redis_outage(t))
        }),
        trial("encrypted_values_hold_no_token_and_share_one_login", |t| {
            Box::pin(encrypted_at_rest(t))
        }),
        trial("a_client_with_another_key_logs_in_itself_and_warns", |t| {
            Box::pin(another_key_logs_in_itself(t))
        }),
        trial("a_tampered_or_plain_value_means_a_fresh_login", |t| {
            Box::pin(tampered_value(t))
        }),
        trial("a_value_moved_to_another_key_is_refused", |t| {
            Box::pin(moved_value(t))
        }),
        trial("device_clients_cold_start_create_one_token", |t| {
            Box::pin(device_cold_start(t))
        }),
        trial("the_shared_device_token_carries_the_customer_login", |t| {
            Box::pin(device_customer_login(t))
        }),
        trial("a_device_token_created_elsewhere_is_replaced_once", |t| {
            Box::pin(device_token_replaced(t))
        }),
    ];
    if !available && !required {
        eprintln!("warning: redis-server not found: the fleet tests are ignored");
    }
    libtest_mimic::run(&args, trials).exit();
}

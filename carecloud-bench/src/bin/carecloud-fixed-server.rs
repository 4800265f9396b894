//! `carecloud-fixed-server [--customers N]`: the fixed-reply HTTP server of
//! the client-overhead benchmark (`carecloud_bench::fixed`) on a free port
//! of 127.0.0.1, serving a page of N customers (100 by default) made by
//! `carecloud_bench::page`. Its first line on stdout names its URL; it runs
//! until its standard input closes (the bench that started it ended).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use carecloud_bench::args;
use carecloud_bench::fixed::{Replies, serve};
use carecloud_bench::page::{PageSpec, customer_page};

fn main() -> ExitCode {
    let customers = args::number("--customers").unwrap_or(100);
    let page = customer_page(&PageSpec {
        customers,
        ..PageSpec::default()
    });
    let replies = Arc::new(Replies::new(&page.json));
    let listener = match TcpListener::bind(("127.0.0.1", 0)).and_then(|l| {
        let addr = l.local_addr()?;
        Ok((l, addr))
    }) {
        Ok(bound) => bound,
        Err(e) => {
            eprintln!("carecloud-fixed-server: cannot listen on 127.0.0.1: {e}");
            return ExitCode::from(2);
        }
    };
    let (listener, addr) = listener;
    println!(
        "listening on http://{addr} (a page of {customers} customers, {} bytes)",
        page.json.len()
    );
    let _ = std::io::stdout().flush();
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(0);
    });
    match serve(listener, replies) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("carecloud-fixed-server: {e}");
            ExitCode::FAILURE
        }
    }
}

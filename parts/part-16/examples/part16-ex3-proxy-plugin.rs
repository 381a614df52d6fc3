//! Exercise 4: a plugin for the poetry proxy (part 14's proxy 2.0), so
//! that `twistd` runs it like any poetry server.
//!
//! ```text
//! cargo run -p part-16 --example part16-ex3-proxy-plugin -- --nodaemon poetry-proxy --port 10000 10001
//! ```

use std::process::ExitCode;
use std::rc::Rc;

use clap::{ArgMatches, Args, Command, FromArgMatches};
use part_04::Printer;
use part_11::ServerFactory;
use part_14::{CacheArgs, ProxyArgs, ProxyFactory, ProxyService2, Upstream};
use part_16::poetry::{MakeFactory, TcpService};
use part_16::{PluginContext, Service, ServiceMaker, StartError};

// ANCHOR: solution
/// The proxy's options, as `poetry-proxy-2` has them.
#[derive(Debug, Args)]
pub struct ProxyOptions {
    #[command(flatten)]
    proxy: ProxyArgs,
    #[command(flatten)]
    cache: CacheArgs,
}

/// `poetry-proxy`: a caching proxy in front of one poetry server.
pub struct ProxyPlugin;

impl ServiceMaker for ProxyPlugin {
    fn name(&self) -> &'static str {
        "poetry-proxy"
    }

    fn description(&self) -> &'static str {
        "A caching poetry proxy."
    }

    fn options(&self) -> Command {
        ProxyOptions::augment_args(Command::new(self.name()))
    }

    fn make_service(
        &self,
        context: &PluginContext,
        options: &ArgMatches,
    ) -> Result<Rc<dyn Service>, StartError> {
        let ProxyOptions { proxy, cache } = ProxyOptions::from_arg_matches(options)?;
        let addr = proxy.resolve()?;
        // The proxy's own lines go to the log, like everything else.
        let log = Printer::new(|_stream, line| tracing::info!("{line}"));
        let upstream = Upstream::new(&context.reactor, proxy.upstream.clone(), addr);
        let service = ProxyService2::new(
            upstream,
            cache.max_age,
            !cache.no_single_flight,
            log.clone(),
        );
        let factory = ProxyFactory::new(move || service.get_poem(), log);
        let make_factory: MakeFactory =
            Box::new(move || Ok(factory.clone() as Rc<dyn ServerFactory>));
        Ok(TcpService::new(
            &context.reactor,
            proxy.iface,
            proxy.port,
            context.shutdown_timeout,
            make_factory,
        ))
    }
}
// ANCHOR_END: solution

fn main() -> ExitCode {
    part_16::runner::main_with(&[
        Box::new(ProxyPlugin),
        Box::new(part_16::plugin::FastPoetryPlugin),
    ])
}

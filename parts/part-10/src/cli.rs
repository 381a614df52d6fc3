//! The command line every version of client 5.0 shares.

use part_02::ClientArgs;

use crate::cummingsify::random_seed;

/// Client 5.0's options: the servers, how to throw cummingsify's dice, and
/// whether to print the poems.
#[derive(Debug, clap::Args)]
pub struct Client5Args {
    /// Seed for cummingsify's dice: the same seed gives each task the same
    /// fate on every run [default: a new seed every run].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Print each poem kept (transformed, or the original).
    #[arg(long)]
    pub print: bool,
    /// The servers, one task each.
    #[command(flatten)]
    pub client: ClientArgs,
}

impl Client5Args {
    /// The seed given, or a new one.
    pub fn seed(&self) -> u64 {
        self.seed.unwrap_or_else(random_seed)
    }
}

//! The guided demo of part 22: the tour. Every poetry client of the series
//! runs, one after another, against the same three slow servers started
//! in this process; then a table says what each ran on, which ideas it is
//! built from, its lines of code and how long it took.
//!
//! ```text
//! cargo run -p part-22
//! ```

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::ServerOptions;
use part_22::{CLIENTS, Programs, Servers, packages, run_all, table};

/// Part 22's guided tour: every poetry client of the series, side by side.
#[derive(Debug, Parser)]
#[command(name = "part-22")]
struct Args {
    /// Bytes each poetry server sends at a time.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..))]
    num_bytes: u16,
    /// Milliseconds each poetry server waits between chunks.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1000))]
    delay_ms: u64,
}

fn describe(servers: &Servers) {
    let options = servers.options();
    println!(
        "Started 3 slow poetry servers in this process, each sending {} bytes every {:.1}s:",
        options.num_bytes,
        options.delay.as_secs_f64()
    );
    for ((addr, (name, poem)), task) in servers.poetry_addrs().iter().zip(servers.poems()).zip(1..)
    {
        println!("  task {task}: {addr}  {name:<12} {:>4} bytes", poem.len());
    }
    println!(
        "and a transformation server for clients 6.0 to 8.0: {}",
        servers.transform_addr()
    );
}

fn tour(args: &Args) -> Result<bool, String> {
    println!("The tour: every poetry client of the series, against the same servers.");
    println!();
    let packages = packages(CLIENTS);
    println!(
        "Asking cargo for the {} clients' programs, from {} packages (it builds any that are missing)...",
        CLIENTS.len(),
        packages.len()
    );
    let programs = Programs::build(&packages)?;
    println!();

    let options = ServerOptions {
        num_bytes: usize::from(args.num_bytes),
        delay: Duration::from_millis(args.delay_ms),
    };
    let servers = Servers::start(options).map_err(|e| format!("cannot start the servers: {e}"))?;
    describe(&servers);
    println!();

    println!("Running each client in turn, alone, so that none slows another down:");
    let rows = run_all(
        CLIENTS,
        &programs,
        &servers,
        |index, client, row| match row {
            None => {
                print!("  [{}/{}] {} ... ", index + 1, CLIENTS.len(), client.name);
                let _ = std::io::stdout().flush();
            }
            Some(row) => match &row.verdict {
                Ok(()) => println!("{:.1}s, every poem", row.took.as_secs_f64()),
                Err(why) => println!("FAILED: {why}"),
            },
        },
    );
    println!();
    print!("{}", table::render(&rows));
    println!();

    println!("What to notice:");
    println!("  - blocking-client waits for one poem after another, so it takes about as long");
    println!("    as the three downloads added up; every other client takes about as long as");
    println!("    the slowest poem alone.");
    println!("  - Most lines are spent on what happens around the waiting (who calls whom, where");
    println!("    a result goes, what a failure does), not on the reading itself.");
    println!(
        "  - A tokio twin needs no callbacks and no deferreds: async/await takes their place,"
    );
    println!("    and the machinery under it comes from a crate instead of from this workspace.");
    Ok(rows.iter().all(|row| row.verdict.is_ok()))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match tour(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("error: some clients did not get every poem (see the table)");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

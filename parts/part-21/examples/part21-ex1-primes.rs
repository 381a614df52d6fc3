//! Part 21, exercise 1: the prime numbers as an endless iterator, and
//! three questions asked of it, each consuming only what it needs.
//!
//! `cargo run -p part-21 --example part21-ex1-primes`

// ANCHOR: primes
/// Every prime, for ever: the numbers from 2 on that no smaller number
/// (up to their square root) divides.
fn primes() -> impl Iterator<Item = u64> {
    (2..).filter(|&n| (2..).take_while(|d| d * d <= n).all(|d| n % d != 0))
}
// ANCHOR_END: primes

fn main() {
    // ANCHOR: main
    let first: Vec<u64> = primes().take(10).collect();
    println!("the first ten primes: {first:?}");
    println!("the hundredth prime: {:?}", primes().nth(99));
    println!(
        "the first prime above 1000: {:?}",
        primes().find(|&p| p > 1000)
    );
    let twins: Vec<(u64, u64)> = primes()
        .zip(primes().skip(1))
        .filter(|(p, q)| q - p == 2)
        .take(5)
        .collect();
    println!("the first five twin primes: {twins:?}");
    // ANCHOR_END: main
}

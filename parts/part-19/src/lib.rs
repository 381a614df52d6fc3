//! # Part 19 — I thought I wanted it but I changed my mind

//! National scale (issue 10): N generated students (default 10 million) evaluated in chunks
//! on every core, with peak memory bounded by the chunk size, and the time for the whole
//! country (about 290 million students) extrapolated.
//!
//! Run: `cargo run --release -p eduaid-examples --example national_scale -- [ROWS] [CHUNK]`
//!
//! Each thread owns a [`BatchEvaluator`] (one evaluation per distinct profile shape, warm
//! across its chunks) and generates its chunks on the fly with `eduaid::synth`, so memory
//! holds one chunk per thread, never the roster. Generation and evaluation are timed apart:
//! a real run reads its rows from Arrow or Parquet instead of generating them.

use eduaid::batch::{BatchEvaluator, Shape};
use eduaid::synth::{self, SynthConfig};
use eduaid::Policy;
use std::time::{Duration, Instant};

const NATION: u64 = 290_000_000;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

#[derive(Default)]
struct Tally {
    rows: u64,
    errors: u64,
    cash_fen: i128,
    entitlements: u64,
    person_times: u64,
    generate: Duration,
    evaluate: Duration,
    shapes: usize,
}

fn main() -> Result<(), eduaid::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: u64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let chunk: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(250_000);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    let as_of = chrono::NaiveDate::from_ymd_opt(2024, 10, 1).unwrap_or_default();
    let policy = Policy::national();
    let config = SynthConfig::new(42);
    println!(
        "national-scale run: {rows} students, chunks of {chunk}, {threads} threads, as of {as_of}"
    );
    let start = Instant::now();
    let tallies: Vec<Result<Tally, eduaid::Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (policy, config) = (&policy, &config);
                scope.spawn(move || -> Result<Tally, eduaid::Error> {
                    let mut evaluator = BatchEvaluator::new(policy, as_of)?;
                    let mut tally = Tally::default();
                    let mut shapes: Vec<Shape> = Vec::with_capacity(chunk as usize);
                    // Chunks are dealt round-robin to threads.
                    let mut c = t;
                    while c * chunk < rows {
                        let range = c * chunk..((c + 1) * chunk).min(rows);
                        let g = Instant::now();
                        shapes.clear();
                        shapes.extend(synth::profiles(config, range).map(|p| Shape::of(&p)));
                        tally.generate += g.elapsed();
                        let e = Instant::now();
                        for s in &shapes {
                            let index = evaluator.index_of(s);
                            let summary = evaluator.summary(index);
                            if summary.ok {
                                tally.cash_fen += i128::from(summary.annual_cash_total_fen);
                                tally.entitlements += u64::from(summary.entitlements);
                                tally.person_times += u64::from(summary.person_times);
                            } else {
                                tally.errors += 1;
                            }
                        }
                        tally.evaluate += e.elapsed();
                        tally.rows += shapes.len() as u64;
                        c += threads;
                    }
                    tally.shapes = evaluator.shapes();
                    Ok(tally)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Ok(Tally::default())))
            .collect()
    });
    let wall = start.elapsed();
    let mut total = Tally::default();
    for t in tallies {
        let t = t?;
        total.rows += t.rows;
        total.errors += t.errors;
        total.cash_fen += t.cash_fen;
        total.entitlements += t.entitlements;
        total.person_times += t.person_times;
        total.generate += t.generate;
        total.evaluate += t.evaluate;
        total.shapes = total.shapes.max(t.shapes);
    }
    let per_thread_eval = total.evaluate.as_secs_f64() / threads as f64;
    let eval_rate = total.rows as f64 / per_thread_eval.max(1e-9);
    let wall_rate = total.rows as f64 / wall.as_secs_f64().max(1e-9);
    println!("students evaluated      {:>16}", total.rows);
    println!("rows in error           {:>16}", total.errors);
    println!("entitlements            {:>16}", total.entitlements);
    println!("person-times (人次)     {:>16}", total.person_times);
    println!(
        "annual cash + awards    {:>16}.{:02} yuan",
        total.cash_fen / 100,
        (total.cash_fen % 100).abs()
    );
    println!("distinct shapes/thread  {:>16}", total.shapes);
    println!(
        "wall time               {:>16.2} s  ({:.2} M students/s, generation included)",
        wall.as_secs_f64(),
        wall_rate / 1e6
    );
    println!(
        "evaluation time         {:>16.2} s  ({:.2} M students/s on {threads} cores)",
        per_thread_eval,
        eval_rate / 1e6
    );
    println!(
        "generation time         {:>16.2} s  (synthetic data, not part of a real run)",
        total.generate.as_secs_f64() / threads as f64
    );
    println!(
        "extrapolated 290 M      {:>16.1} s  evaluation only; {:.1} s with generation",
        NATION as f64 / eval_rate,
        NATION as f64 / wall_rate
    );
    println!("peak memory (VmHWM)     {:>16.1} MiB", peak_rss_mib());
    Ok(())
}

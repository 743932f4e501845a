//! Criterion benchmarks of the core (issue 10). Each group reports a ratio against a
//! baseline measured in the same run: the batch path against the naive per-row JSON path
//! (parse a JSON profile, evaluate, serialize the assessment), which is what a caller without
//! the batch API would do.
//!
//! `cargo bench -p eduaid --bench evaluate` (release profile). Numbers go to BENCHMARKS.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use eduaid::batch::{
    evaluate_columns, evaluate_columns_into, BatchEvaluator, ColumnBuffers, Shape,
};
use eduaid::synth::{self, SynthConfig};
use eduaid::{evaluate, Policy, Profile};
use std::hint::black_box;

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 10, 1).unwrap()
}

fn single(c: &mut Criterion) {
    let policy = Policy::national();
    let profile = Profile::from_json(
        r#"{"stage":"junior_middle","grade":2,"boarding":true,"hukou":"rural","household":{"statuses":["lifted_out_of_poverty","dibao"]}}"#,
    )
    .unwrap();
    let mut g = c.benchmark_group("single");
    g.bench_function("evaluate_typed", |b| {
        b.iter(|| evaluate(black_box(&profile), as_of(), &policy).unwrap())
    });
    let quiet = eduaid::Options {
        explain: false,
        ..Default::default()
    };
    g.bench_function("evaluate_typed_amounts_only", |b| {
        b.iter(|| eduaid::evaluate_with(black_box(&profile), as_of(), &policy, quiet).unwrap())
    });
    let text = serde_json::to_string(&profile).unwrap();
    g.bench_function("evaluate_json_in_json_out", |b| {
        b.iter(|| {
            let p = Profile::from_json(black_box(&text)).unwrap();
            serde_json::to_string(&evaluate(&p, as_of(), &policy).unwrap()).unwrap()
        })
    });
    g.finish();
}

fn roster(c: &mut Criterion) {
    let policy = Policy::national();
    let config = SynthConfig::new(42);
    // Baseline: the naive per-row JSON path on 20 000 rows.
    let texts: Vec<String> = synth::roster(&config, 20_000)
        .iter()
        .map(|p| serde_json::to_string(p).unwrap())
        .collect();
    let mut g = c.benchmark_group("roster");
    g.sample_size(10);
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("naive_json_per_row_20k", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            for t in &texts {
                let p = Profile::from_json(t).unwrap();
                bytes += serde_json::to_string(&evaluate(&p, as_of(), &policy).unwrap())
                    .unwrap()
                    .len();
            }
            bytes
        })
    });
    // The batch path on 1 M rows: shapes packed, one probe per row, per-program fen sums.
    let shapes: Vec<Shape> = synth::profiles(&config, 0..1_000_000)
        .map(|p| Shape::of(&p))
        .collect();
    g.throughput(Throughput::Elements(shapes.len() as u64));
    g.bench_function("batch_1m_cold", |b| {
        b.iter_batched(
            || BatchEvaluator::new(&policy, as_of()).unwrap(),
            |mut ev| {
                let mut total = 0i64;
                for s in &shapes {
                    let i = ev.index_of(s);
                    if let Some(eduaid::batch::ShapeResult::Ok {
                        annual_cash_total_fen,
                        ..
                    }) = ev.result(i)
                    {
                        total += annual_cash_total_fen;
                    }
                }
                total
            },
            BatchSize::LargeInput,
        )
    });
    let mut warm = BatchEvaluator::new(&policy, as_of()).unwrap();
    for s in &shapes {
        warm.index_of(s);
    }
    g.bench_function("batch_1m_warm", |b| {
        b.iter(|| {
            let mut total = 0i64;
            for s in &shapes {
                let i = warm.index_of(s);
                if let Some(eduaid::batch::ShapeResult::Ok {
                    annual_cash_total_fen,
                    ..
                }) = warm.result(i)
                {
                    total += annual_cash_total_fen;
                }
            }
            total
        })
    });
    // The struct-of-arrays path: typed columns in, one fen column per program out.
    let buffers = ColumnBuffers::of(&shapes);
    let columns = buffers.columns();
    let mut warm_columns = BatchEvaluator::new(&policy, as_of()).unwrap();
    evaluate_columns(&mut warm_columns, &columns).unwrap();
    g.bench_function("columns_1m_warm_per_program_fen", |b| {
        b.iter(|| evaluate_columns(&mut warm_columns, black_box(&columns)).unwrap())
    });
    // The same into reused buffers (a chunked run's steady state).
    let mut out = evaluate_columns(&mut warm_columns, &columns).unwrap();
    g.bench_function("columns_1m_warm_per_program_fen_reused", |b| {
        b.iter(|| evaluate_columns_into(&mut warm_columns, black_box(&columns), &mut out).unwrap())
    });
    g.finish();
    println!("distinct shapes in 1 M synthetic rows: {}", warm.shapes());
}

fn overlays(c: &mut Criterion) {
    let national = Policy::national();
    let mut g = c.benchmark_group("policy");
    g.bench_function("load_national", |b| {
        b.iter(|| Policy::try_national().unwrap())
    });
    for region in Policy::shipped_regions() {
        g.bench_function(format!("with_overlay_{region}"), |b| {
            b.iter(|| national.with_region(region).unwrap())
        });
    }
    g.finish();
}

fn cases(c: &mut Criterion) {
    use eduaid::dropout::{Case, Event, Student};
    let policy = Policy::national();
    let student = Student::from_json(
        r#"{"student_id":"B-1","region":"130431","birth_date":"2010-05-20","stage":"junior_middle","grade":2}"#,
    )
    .unwrap();
    let texts = [
        r#"{"type":"opened","date":"2024-09-11","trigger":{"kind":"absence","first_absent":"2024-09-02","school_days":8}}"#,
        r#"{"type":"persuasion_attempt","date":"2024-09-12","actor":"班主任","outcome":"refused"}"#,
        r#"{"type":"escalated","date":"2024-09-19","to":"school_leaders"}"#,
        r#"{"type":"persuasion_attempt","date":"2024-09-20","actor":"教导主任","outcome":"refused"}"#,
    ];
    let events: Vec<Event> = texts.iter().map(|t| Event::from_json(t).unwrap()).collect();
    let case = Case::replay(student.clone(), &events, &policy).unwrap();
    let next = Event::from_json(r#"{"type":"persuasion_attempt","date":"2024-09-21","actor":"副校长","outcome":"undecided"}"#).unwrap();
    let mut g = c.benchmark_group("case");
    g.bench_function("apply", |b| {
        b.iter(|| case.apply(black_box(next.clone()), &policy).unwrap())
    });
    let today = chrono::NaiveDate::from_ymd_opt(2024, 10, 1).unwrap();
    g.bench_function("due", |b| b.iter(|| case.due(black_box(today), &policy)));
    g.bench_function("replay_4_events", |b| {
        b.iter(|| Case::replay(student.clone(), black_box(&events), &policy).unwrap())
    });
    g.finish();
}

criterion_group!(benches, single, roster, overlays, cases);
criterion_main!(benches);

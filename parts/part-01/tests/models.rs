//! The three models, really run with short steps (tens of milliseconds):
//! what each timeline must and must not show.

use std::sync::OnceLock;
use std::time::Duration;

use part_01::task::sum_of_steps;
use part_01::{
    Activity, Span, Task, Timeline, demo_tasks, run_asynchronous, run_synchronous, run_threaded,
};

const TICK: Duration = Duration::from_millis(15);

/// The three runs, made once and shared by every test here, so the tests do
/// not compete with one another for the CPU while they are being measured.
struct Runs {
    tasks: Vec<Task>,
    synchronous: Timeline,
    threaded: Timeline,
    asynchronous: Timeline,
}

fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(|| {
        let tasks = demo_tasks(TICK);
        Runs {
            synchronous: run_synchronous(&tasks),
            threaded: run_threaded(&tasks),
            asynchronous: run_asynchronous(&tasks),
            tasks,
        }
    })
}

fn spans_of(timeline: &Timeline, activity: Activity) -> Vec<&Span> {
    timeline
        .spans
        .iter()
        .filter(|s| s.activity == activity)
        .collect()
}

fn first_overlap<'a>(spans: &[&'a Span]) -> Option<(&'a Span, &'a Span)> {
    for (i, a) in spans.iter().enumerate() {
        for b in &spans[i + 1..] {
            if a.overlaps(b) {
                return Some((a, b));
            }
        }
    }
    None
}

#[test]
fn synchronous_spans_never_overlap_and_add_up() {
    let runs = runs();
    let timeline = &runs.synchronous;
    let spans: Vec<&Span> = timeline.spans.iter().collect();
    assert_eq!(first_overlap(&spans), None, "{timeline:#?}");
    assert!(
        timeline.total >= sum_of_steps(&runs.tasks),
        "{:?}",
        timeline.total
    );
    // Each task starts only after the previous one has finished.
    let last_end = |row| timeline.row_spans(row).last().map(|s| s.end).unwrap();
    let first_start = |row| timeline.row_spans(row)[0].start;
    assert!(first_start(1) >= last_end(0));
    assert!(first_start(2) >= last_end(1));
}

#[test]
fn asynchronous_runs_one_at_a_time_but_waits_overlap() {
    let runs = runs();
    let timeline = &runs.asynchronous;
    let running = spans_of(timeline, Activity::Running);
    assert_eq!(first_overlap(&running), None, "{timeline:#?}");
    assert_eq!(timeline.overlap(Activity::Running), Duration::ZERO);
    let waiting = spans_of(timeline, Activity::Waiting);
    assert!(
        first_overlap(&waiting).is_some(),
        "no waits overlap: {timeline:#?}"
    );
    assert!(timeline.overlap(Activity::Waiting) >= TICK * 4);
}

#[test]
fn asynchronous_and_threaded_are_well_below_synchronous() {
    let runs = runs();
    let sync = runs.synchronous.total.as_secs_f64();
    for timeline in [&runs.threaded, &runs.asynchronous] {
        let ratio = timeline.total.as_secs_f64() / sync;
        // Ideally 12/33 (threaded) and 15/33 (asynchronous) of the time:
        // most of the demo is waiting, and both models overlap the waits,
        // which needs no free core. The margin is for a busy machine, where
        // the work stretches; how far below, the models benchmark measures.
        assert!(ratio < 0.9, "{}: {ratio:.2} of synchronous", timeline.title);
    }
}

#[test]
fn threaded_tasks_run_at_the_same_time() {
    let runs = runs();
    let rows = 0..runs.tasks.len();
    let spans = |row| runs.threaded.row_spans(row);
    // Every task has started before any task has finished.
    let last_start = rows.clone().map(|r| spans(r)[0].start).max().unwrap();
    let first_end = rows.map(|r| spans(r).last().unwrap().end).min().unwrap();
    assert!(last_start < first_end, "{:#?}", runs.threaded);
}

#[test]
fn every_task_does_its_steps_in_order() {
    let runs = runs();
    for timeline in [&runs.synchronous, &runs.threaded, &runs.asynchronous] {
        assert_eq!(timeline.rows.len(), runs.tasks.len());
        for (row, task) in runs.tasks.iter().enumerate() {
            assert_eq!(timeline.rows[row], task.name);
            let done: Vec<&Span> = timeline
                .row_spans(row)
                .into_iter()
                .filter(|s| s.activity != Activity::Ready)
                .collect();
            let kinds: Vec<Activity> = done.iter().map(|s| s.activity).collect();
            let expected: Vec<Activity> = task.steps.iter().map(|s| s.activity()).collect();
            assert_eq!(kinds, expected, "{} / {}", timeline.title, task.name);
            for (span, step) in done.iter().zip(&task.steps) {
                assert!(
                    span.duration() >= step.duration(),
                    "{} / {}: {span:?} shorter than {step:?}",
                    timeline.title,
                    task.name
                );
            }
            for pair in done.windows(2) {
                assert!(pair[0].end <= pair[1].start, "{}: {pair:?}", timeline.title);
            }
            assert!(done.last().unwrap().end <= timeline.total);
        }
    }
}

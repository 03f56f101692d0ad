//! Live grading over a 500-object cluster served by the fake API server
//! (real HTTP on 127.0.0.1, the real kube client): the time to list the
//! exercise's kinds, build the model and run its checkers, and the number
//! of list requests it takes (one per kind).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/cluster.rs"]
mod cluster;
#[path = "../tests/support/fake_apiserver.rs"]
mod fake_apiserver;

use criterion::{Criterion, criterion_group, criterion_main};
use fake_apiserver::FakeApiServer;
use kubedojo::content::Lang;
use kubedojo::live::grade_live;
use kubedojo::live::probe::KubeProber;

fn bench(c: &mut Criterion) {
    let content = cluster::fixture_content();
    let ex = content.exercise("live-db-policy").unwrap();
    let server = FakeApiServer::start();
    cluster::cluster_of_500(&server);
    assert_eq!(server.objects().len(), 500);
    let session = cluster::session_for(&server);

    server.clear_log();
    let start = std::time::Instant::now();
    let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
    let report = grade_live(&session, &content, &ex, Lang::En, &mut prober).unwrap();
    let first = start.elapsed();
    let lists = server.count("GET", |_| true);
    println!(
        "live grade of {} objects: {} list requests for {} kinds; first grade {:?}",
        report.live.objects,
        lists,
        report.live.kinds.len(),
        first
    );
    assert_eq!(report.live.objects, 500);
    assert_eq!(lists, report.live.kinds.len(), "one list request per kind");
    let mut times: Vec<std::time::Duration> = (0..21)
        .map(|_| {
            let t = std::time::Instant::now();
            let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
            grade_live(&session, &content, &ex, Lang::En, &mut prober).unwrap();
            t.elapsed()
        })
        .collect();
    times.sort();
    println!("median of 21 grades: {:?} (max {:?})", times[10], times[20]);
    assert!(
        times[10] < std::time::Duration::from_millis(300),
        "under 300 ms"
    );

    c.bench_function("live_grade_500_objects", |b| {
        b.iter(|| {
            let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
            grade_live(&session, &content, &ex, Lang::En, &mut prober).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

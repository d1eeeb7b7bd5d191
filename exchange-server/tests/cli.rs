//! The `exchange` binary run on real data directories: audits of honest and damaged logs,
//! inspection at past sequence numbers, the event stream and its filters, and snapshots.

mod support;

use exchange_core::log::{Entry, EventLog, Record};
use exchange_core::{state_at, Event};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use support::{
    exchange, exchange_loud, generate, records, spawn_exchange, stderr, stdout, tamper_record,
    with_log, with_raw_sled, GENERATED_COMMANDS,
};

/// A directory path as an argument.
fn arg(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

/// The first command record after `from` that logs an event `matches` accepts.
fn first_with(dir: &Path, from: u64, matches: impl Fn(&Event) -> bool) -> u64 {
    let found = records(dir).into_iter().find(|r| {
        r.seq > from
            && matches!(&r.entry, Entry::Command { events, .. } if events.iter().any(&matches))
    });
    found.expect("the generated market logs such an event").seq
}

#[test]
fn a_generated_log_passes_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let generated = generate(dir.path(), 1, GENERATED_COMMANDS);
    let output = exchange(&["audit", arg(dir.path())]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("audit: ok\n"), "{text}");
    let line = |name: &str, value: String| format!("\n{name:<20}{value}\n");
    for expected in [
        line("records", generated.last_seq.to_string()),
        line("snapshots verified", "3".into()),
        line("state hash", generated.state.state_hash().to_string()),
    ] {
        assert!(
            text.contains(&expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn a_changed_event_quantity_fails_the_audit_at_its_record() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 2, 2_000);
    let seq = first_with(dir.path(), 1_000, |e| matches!(e, Event::Trade { .. }));
    tamper_record(dir.path(), seq, |record| {
        let Entry::Command { events, .. } = &mut record.entry else {
            unreachable!("a trade is logged in a command record");
        };
        for event in std::sync::Arc::make_mut(events).iter_mut() {
            if let Event::Trade { quantity, .. } = event {
                quantity.0 += 1;
                break;
            }
        }
    });
    let output = exchange(&["audit", arg(dir.path())]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let expected = format!("audit: record {seq}: logged events differ from re-decided events: ");
    assert!(
        stderr(&output).starts_with(&expected),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty());
}

#[test]
fn a_changed_checkpoint_hash_fails_the_audit_at_its_record() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 3, 2_000);
    let checkpoints: Vec<Record> = records(dir.path())
        .into_iter()
        .filter(|r| matches!(r.entry, Entry::Checkpoint { .. }))
        .collect();
    assert!(checkpoints.len() >= 3, "the config writes checkpoints");
    let seq = checkpoints[1].seq;
    tamper_record(dir.path(), seq, |record| {
        let Entry::Checkpoint { state_hash } = &mut record.entry else {
            unreachable!("the record is a checkpoint");
        };
        state_hash.0[31] ^= 0x80;
    });
    let output = exchange(&["audit", arg(dir.path())]);
    assert_eq!(output.status.code(), Some(1));
    let expected = format!("audit: record {seq}: checkpoint hash ");
    assert!(
        stderr(&output).starts_with(&expected),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_record_stamped_before_the_one_before_it_fails_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 5, 2_000);
    let seq = 1_000;
    let previous_ns = records(dir.path())[seq as usize - 2].timestamp_ns;
    tamper_record(dir.path(), seq, |record| {
        record.timestamp_ns = previous_ns - 1
    });
    let output = exchange(&["audit", arg(dir.path())]);
    assert_eq!(output.status.code(), Some(1));
    let expected = format!(
        "audit: record {seq}: stamped {} ns after the epoch, before the previous record's \
         {previous_ns}",
        previous_ns - 1
    );
    assert!(
        stderr(&output).starts_with(&expected),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_damaged_snapshot_fails_the_audit_and_is_refused_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 4, GENERATED_COMMANDS);
    let seq = with_raw_sled(dir.path(), |db| {
        let snapshots = db.open_tree("snapshots").unwrap();
        let (key, value) = snapshots.last().unwrap().unwrap();
        let mut damaged = value.to_vec();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0xff;
        snapshots.insert(&key, damaged).unwrap();
        u64::from_be_bytes(key.as_ref().try_into().unwrap())
    });
    let output = exchange(&["audit", arg(dir.path())]);
    assert_eq!(output.status.code(), Some(1));
    let expected = format!("audit: snapshot at {seq}: unreadable: ");
    assert!(
        stderr(&output).starts_with(&expected),
        "{}",
        stderr(&output)
    );

    let output = exchange_loud(&["inspect", arg(dir.path()), "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let warning = format!("warning: snapshot at {seq} refused: ");
    assert!(stderr(&output).starts_with(&warning), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("; used snapshot at "),
        "{}",
        stderr(&output)
    );
    let quiet = exchange(&["inspect", arg(dir.path()), "--json"]);
    assert!(stderr(&quiet).is_empty(), "--quiet silences warnings");
}

#[test]
fn a_directory_without_a_log_is_an_error_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    for command in ["audit", "inspect", "events", "snapshot"] {
        for target in [dir.path(), missing.as_path()] {
            let output = exchange(&[command, arg(target)]);
            assert_eq!(output.status.code(), Some(2), "{command} {target:?}");
            assert!(
                stderr(&output).contains("holds no event log"),
                "{}",
                stderr(&output)
            );
        }
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn inspect_at_a_past_record_shows_the_state_of_that_time() {
    let dir = tempfile::tempdir().unwrap();
    let generated = generate(dir.path(), 5, 2_000);
    let at = 1_234;
    let output = exchange(&["inspect", arg(dir.path()), "--at", "1234", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let shown: Value = serde_json::from_str(&stdout(&output)).unwrap();

    let then = with_log(dir.path(), |log| state_at(log, at).unwrap());
    assert_eq!(shown["seq"], at);
    assert_eq!(shown["state_hash"], then.state_hash().to_string());
    assert_eq!(
        shown["accounts"],
        serde_json::to_value(then.accounts()).unwrap()
    );
    assert_ne!(
        shown["accounts"],
        serde_json::to_value(generated.state.accounts()).unwrap(),
        "the market moved after record {at}"
    );

    let account = exchange(&[
        "inspect",
        arg(dir.path()),
        "--at",
        "1234",
        "--account",
        "3",
        "--json",
    ]);
    let shown: Value = serde_json::from_slice(&account.stdout).unwrap();
    let view = then.account(exchange_core::AccountId(3)).unwrap();
    assert_eq!(shown["account"], serde_json::to_value(view).unwrap());
    let orders = then.open_orders(exchange_core::AccountId(3), None);
    assert_eq!(shown["open_orders"], serde_json::to_value(orders).unwrap());
}

#[test]
fn inspect_shows_a_tickers_quote_and_depth() {
    let dir = tempfile::tempdir().unwrap();
    let generated = generate(dir.path(), 6, 1_000);
    let output = exchange(&[
        "inspect",
        arg(dir.path()),
        "--ticker",
        "BETA",
        "--depth",
        "2",
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let shown: Value = serde_json::from_slice(&output.stdout).unwrap();
    let beta = exchange_core::TickerId(2);
    let state = &generated.state;
    assert_eq!(shown["seq"], generated.last_seq);
    assert_eq!(
        shown["ticker"],
        serde_json::to_value(state.ticker(beta)).unwrap()
    );
    assert_eq!(
        shown["quote"],
        serde_json::to_value(state.quote(beta)).unwrap()
    );
    assert_eq!(
        shown["depth"],
        serde_json::to_value(state.depth(beta, 2)).unwrap()
    );

    let text = exchange(&["inspect", arg(dir.path()), "--ticker", "BETA"]);
    let expected = format!(
        "ticker BETA (id 2) after record {}: open\n",
        generated.last_seq
    );
    assert!(stdout(&text).starts_with(&expected), "{}", stdout(&text));
}

#[test]
fn inspect_refuses_unknown_accounts_tickers_and_records() {
    let dir = tempfile::tempdir().unwrap();
    let generated = generate(dir.path(), 7, 200);
    let last = generated.last_seq;
    let cases = [
        (
            ["--account", "99999"],
            format!("no account 99999 in the state after record {last}"),
        ),
        (
            ["--ticker", "NOPE"],
            format!("no ticker NOPE in the state after record {last}"),
        ),
        (
            ["--at", "999999"],
            format!("record 999999 is past the log's last record {last}"),
        ),
    ];
    for (extra, message) in cases {
        let mut args = vec!["inspect", arg(dir.path())];
        args.extend(extra);
        let output = exchange(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&output), format!("exchange: {message}\n"));
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn events_are_json_lines_that_parse_back_into_records() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 8, 1_000);
    let all = records(dir.path());
    let output = exchange(&["events", arg(dir.path())]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let parsed: Vec<Record> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(parsed, all);

    let output = exchange(&["events", arg(dir.path()), "--from", "100", "--to", "200"]);
    let seqs: Vec<u64> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str::<Record>(line).unwrap().seq)
        .collect();
    assert_eq!(seqs, (100..=200).collect::<Vec<_>>());

    for range in [["--to", "0"].as_slice(), &["--from", "200", "--to", "100"]] {
        let mut args = vec!["events", arg(dir.path())];
        args.extend(range);
        let output = exchange(&args);
        assert_eq!(output.status.code(), Some(2), "{range:?}");
        assert!(
            stderr(&output).contains("(records are numbered from 1)"),
            "{}",
            stderr(&output)
        );
    }
}

/// Whether any field named in `keys`, anywhere in `value`, equals `id`: an oracle for the
/// filters that reads the JSON rather than the types.
fn mentions(value: &Value, keys: &[&str], id: u64) -> bool {
    match value {
        Value::Object(fields) => fields.iter().any(|(key, field)| {
            (keys.contains(&key.as_str()) && field.as_u64() == Some(id))
                || mentions(field, keys, id)
        }),
        Value::Array(items) => items.iter().any(|item| mentions(item, keys, id)),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => false,
    }
}

/// The sequence numbers of the records in `lines` of JSON.
fn seqs(values: &[Value]) -> Vec<u64> {
    values.iter().map(|v| v["seq"].as_u64().unwrap()).collect()
}

#[test]
fn events_filters_keep_exactly_the_records_involving_an_account_or_ticker() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 9, 1_000);
    let all: Vec<Value> = records(dir.path())
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect();
    let account_keys = [
        "Account",
        "account",
        "from",
        "to",
        "maker_account",
        "taker_account",
        "orchestrated_by",
    ];
    let filtered = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec!["events", arg(dir.path())];
        args.extend(extra);
        let output = exchange(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };

    let kept = filtered(&["--account", "4"]);
    let expected: Vec<Value> = all
        .iter()
        .filter(|r| mentions(r, &account_keys, 4))
        .cloned()
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.len());
    assert_eq!(seqs(&kept), seqs(&expected));

    let kept = filtered(&["--ticker", "BETA", "--from", "300"]);
    let expected: Vec<Value> = all
        .iter()
        .filter(|r| r["seq"].as_u64() >= Some(300) && mentions(r, &["ticker"], 2))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(seqs(&kept), seqs(&expected));

    let output = exchange(&["events", arg(dir.path()), "--ticker", "NOPE"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn events_into_a_closed_pipe_exit_quietly() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 10, 2_000);
    let mut child = spawn_exchange(&["events", arg(dir.path())]);
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("{\"seq\":1,"), "{first}");
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

#[test]
fn a_snapshot_holds_the_replayed_state_and_passes_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let generated = generate(dir.path(), 11, 1_500);
    let hash = generated.state.state_hash();
    let output = exchange(&["snapshot", arg(dir.path())]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let expected = format!("snapshot at {}: state hash {hash}\n", generated.last_seq);
    assert_eq!(stdout(&output), expected);

    let (stored, snapshot) = with_log(dir.path(), |log| {
        let stored = log.snapshot_seqs().unwrap();
        (stored, log.read_snapshot(generated.last_seq).unwrap())
    });
    assert_eq!(stored[0], generated.last_seq);
    assert_eq!(snapshot.state_hash, hash);
    assert_eq!(snapshot.restore().unwrap().state_hash(), hash);

    let audit = exchange(&["audit", arg(dir.path())]);
    assert_eq!(audit.status.code(), Some(0), "{}", stderr(&audit));
    let verified = format!("\nsnapshots verified  {}\n", stored.len());
    assert!(stdout(&audit).contains(&verified), "{}", stdout(&audit));
}

#[test]
fn serve_answers_health_stops_cleanly_on_sigterm_and_its_log_passes_the_audit() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    let mut server = spawn_exchange(&["serve", "--data", data_arg, "--listen", "127.0.0.1:0"]);
    let mut stderr_lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let address = stderr_lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let start = line.find("serving on http://")?;
            let rest = &line[start + "serving on http://".len()..];
            Some(rest.split_whitespace().next()?.to_owned())
        })
        .expect("the server says where it listens");
    let mut connection = std::net::TcpStream::connect(&address).unwrap();
    write!(
        connection,
        "GET /health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    connection.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"status\":\"ok\""), "{response}");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server.wait().unwrap();
    assert!(status.success(), "serve exits 0 on SIGTERM: {status}");
    let audit = exchange(&["audit", data_arg]);
    assert!(audit.status.success(), "{}", stderr(&audit));
}

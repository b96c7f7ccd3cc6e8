//! `log_clusters(entry [, now])`: the aggregate and its accumulator.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::cast::as_binary_array;
use datafusion::common::{exec_err, plan_err, DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility,
};
use datafusion::physical_expr::expressions::Literal;
use log_gardener::{Options, Shard};

use crate::shard::{self, ShardReader};

/// The SQL name of the aggregate.
pub const LOG_CLUSTERS: &str = "log_clusters";

/// How much memory one group of a shard is taken to hold: its key, counts
/// and one representative entry (Cloud Logging entries are 1-3 KB).
const BYTES_PER_GROUP_ESTIMATE: usize = 4096;

/// The aggregate `log_clusters(entry [, now])`: raw Cloud Logging entries
/// (JSON text, one per row) in, the prioritized worklog (JSON) out.
///
/// Each partition reads its rows into a shard of clustering state; the
/// state that moves between partitions (and machines) is the shard,
/// serialized; merging states is merging shards, which is associative and
/// commutative; the result is the worklog of the merged shard.
///
/// `now`, an RFC 3339 time such as `'2025-09-14T01:00:00Z'`, stamps the
/// worklog; without it the time given to [`LogClusters::generated_at`]
/// is used, else the clock when the result is computed.
///
/// ```
/// use datafusion::execution::FunctionRegistry;
/// use datafusion::prelude::SessionContext;
/// use gardener_datafusion::LogClusters;
/// use log_gardener::Options;
///
/// let ctx = SessionContext::new();
/// ctx.register_udaf(LogClusters::new(Options::default()).into_udaf());
/// assert!(ctx.udaf("log_clusters").is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct LogClusters {
    settings: Arc<Settings>,
    signature: Signature,
}

/// What every accumulator of one registered aggregate shares.
#[derive(Debug, Clone)]
struct Settings {
    options: Options,
    generated_at: Option<DateTime<Utc>>,
    sources: Vec<String>,
}

impl LogClusters {
    /// The aggregate with the given gardener options (rules, masking,
    /// mining, trace joining, a previous worklog for trends).
    pub fn new(options: Options) -> LogClusters {
        LogClusters {
            settings: Arc::new(Settings {
                options,
                generated_at: None,
                sources: Vec::new(),
            }),
            // Any text coerces to Utf8 (aggregates take exact signatures).
            signature: Signature::one_of(
                vec![
                    TypeSignature::Exact(vec![DataType::Utf8]),
                    TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8]),
                ],
                Volatility::Immutable,
            ),
        }
    }

    /// Stamps worklogs with `generated_at` when the query gives no `now`.
    pub fn generated_at(mut self, generated_at: DateTime<Utc>) -> LogClusters {
        Arc::make_mut(&mut self.settings).generated_at = Some(generated_at);
        self
    }

    /// Names the inputs in the worklog's input summary (the paths or URLs
    /// the table was made of); SQL cannot know them.
    pub fn sources(mut self, sources: Vec<String>) -> LogClusters {
        Arc::make_mut(&mut self.settings).sources = sources;
        self
    }

    /// The aggregate, ready for `SessionContext::register_udaf`.
    pub fn into_udaf(self) -> AggregateUDF {
        AggregateUDF::new_from_impl(self)
    }
}

// Two registrations are the same function only if they share settings:
// `Options` has no equality of its own.
impl PartialEq for LogClusters {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.settings, &other.settings)
    }
}

impl Eq for LogClusters {}

impl Hash for LogClusters {
    fn hash<H: Hasher>(&self, state: &mut H) {
        Arc::as_ptr(&self.settings).hash(state);
    }
}

impl AggregateUDFImpl for LogClusters {
    fn name(&self) -> &str {
        LOG_CLUSTERS
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}[shard]", args.name),
            DataType::Binary,
            true,
        ))])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let generated_at = match args.exprs.get(1) {
            Some(expr) => Some(constant_time(expr.downcast_ref::<Literal>())?),
            None => self.settings.generated_at,
        };
        Ok(Box::new(LogClustersAccumulator {
            settings: Arc::clone(&self.settings),
            generated_at,
            reader: None,
            shard: Shard::default(),
        }))
    }

    /// Clusters do not depend on the order of rows. Re-joining a stack
    /// trace logged one line per entry needs its lines in file order, which
    /// a scan keeps within a partition.
    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        AggregateOrderSensitivity::Insensitive
    }
}

/// The `now` argument, which must be a constant RFC 3339 time.
fn constant_time(literal: Option<&Literal>) -> Result<DateTime<Utc>> {
    let usage = "the second argument of log_clusters(entry, now) must be a constant RFC 3339 time such as '2025-09-14T01:00:00Z'";
    let Some(Some(text)) = literal.map(|literal| literal.value().try_as_str()) else {
        return plan_err!("{usage}");
    };
    let Some(text) = text else {
        return plan_err!("{usage}, not NULL");
    };
    match DateTime::parse_from_rfc3339(text) {
        Ok(time) => Ok(time.with_timezone(&Utc)),
        Err(error) => plan_err!("{usage}, not '{text}' ({error})"),
    }
}

/// One group's shard: rows read so far, plus states merged in.
#[derive(Debug)]
struct LogClustersAccumulator {
    settings: Arc<Settings>,
    generated_at: Option<DateTime<Utc>>,
    /// Reads this partition's rows; `None` until the first row, and again
    /// after its shard was settled into `shard`.
    reader: Option<ShardReader>,
    shard: Shard,
}

impl LogClustersAccumulator {
    /// Moves what the reader read into `shard`.
    fn settle(&mut self) {
        if let Some(reader) = self.reader.take() {
            self.shard.merge(reader.finish());
        }
    }
}

impl Accumulator for LogClustersAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(entries) = values.first() else {
            return exec_err!("{LOG_CLUSTERS} needs the entry column");
        };
        let options = &self.settings.options;
        let reader = self.reader.get_or_insert_with(|| ShardReader::new(options));
        let fed = match entries.data_type() {
            DataType::Utf8 => reader.feed(entries.as_string::<i32>().iter().flatten()),
            DataType::LargeUtf8 => reader.feed(entries.as_string::<i64>().iter().flatten()),
            DataType::Utf8View => reader.feed(entries.as_string_view().iter().flatten()),
            other => return exec_err!("{LOG_CLUSTERS} reads text entries, not {other}"),
        };
        fed.map_err(|error| DataFusionError::Execution(format!("{LOG_CLUSTERS}: {error}")))
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.settle();
        let bytes = shard::encode(&self.shard)
            .map_err(|error| DataFusionError::Execution(format!("{LOG_CLUSTERS}: {error}")))?;
        Ok(vec![ScalarValue::Binary(Some(bytes))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(states) = states.first() else {
            return exec_err!("{LOG_CLUSTERS} needs its state column to merge");
        };
        for bytes in as_binary_array(states)?.iter().flatten() {
            let other = shard::decode(bytes)
                .map_err(|error| DataFusionError::Execution(format!("{LOG_CLUSTERS}: {error}")))?;
            self.shard.merge(other);
        }
        Ok(())
    }

    /// The worklog of everything read and merged. DataFusion evaluates an
    /// accumulator once, at the end; the shard is handed over, not copied.
    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.settle();
        let generated_at = self
            .generated_at
            .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()));
        let json = shard::worklog_json(
            std::mem::take(&mut self.shard),
            &self.settings.options,
            generated_at,
            self.settings.sources.clone(),
        );
        Ok(ScalarValue::Utf8(Some(json)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + shard::group_count(&self.shard) * BYTES_PER_GROUP_ESTIMATE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::StringArray;

    fn time(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid time")
            .with_timezone(&Utc)
    }

    #[test]
    fn now_must_be_a_constant_time() {
        let ok = Literal::new(ScalarValue::Utf8(Some("2025-09-14T01:00:00Z".into())));
        assert_eq!(
            constant_time(Some(&ok)).expect("a time"),
            time("2025-09-14T01:00:00Z")
        );
        let view = Literal::new(ScalarValue::Utf8View(Some(
            "2025-09-14T03:00:00+02:00".into(),
        )));
        assert_eq!(
            constant_time(Some(&view)).expect("a time"),
            time("2025-09-14T01:00:00Z")
        );
        for bad in [
            Literal::new(ScalarValue::Utf8(Some("yesterday".into()))),
            Literal::new(ScalarValue::Utf8(None)),
            Literal::new(ScalarValue::Int64(Some(1))),
        ] {
            let message = constant_time(Some(&bad)).expect_err("refused").to_string();
            assert!(message.contains("RFC 3339"), "{message}");
        }
        assert!(constant_time(None).is_err());
    }

    #[test]
    fn states_merge_into_the_worklog_of_all_rows() {
        let entry = |id: &str, text: &str| {
            format!(
                r#"{{"insertId":"{id}","severity":"ERROR","textPayload":"{text}","timestamp":"2025-09-14T00:27:05Z","resource":{{"type":"cloud_run_revision","labels":{{"service_name":"api"}}}}}}"#
            )
        };
        let settings = Arc::new(Settings {
            options: Options::default(),
            generated_at: Some(time("2025-09-14T01:00:00Z")),
            sources: vec!["test".into()],
        });
        let accumulator = || LogClustersAccumulator {
            settings: Arc::clone(&settings),
            generated_at: settings.generated_at,
            reader: None,
            shard: Shard::default(),
        };
        let rows = [
            entry("a", "Container called exit(3)."),
            entry("b", "Container called exit(3)."),
            entry("c", "Memory limit of 512 MiB exceeded with 530 MiB used."),
        ];
        let column = |rows: &[String]| -> ArrayRef { Arc::new(StringArray::from(rows.to_vec())) };

        let mut whole = accumulator();
        whole.update_batch(&[column(&rows)]).expect("reads");
        let expected = whole.evaluate().expect("worklog");

        let mut first = accumulator();
        first.update_batch(&[column(&rows[..1])]).expect("reads");
        let mut second = accumulator();
        second.update_batch(&[column(&rows[1..])]).expect("reads");
        let mut last = accumulator();
        for part in [&mut first, &mut second] {
            let [ScalarValue::Binary(Some(bytes))] = &part.state().expect("state")[..] else {
                panic!("one binary state");
            };
            let states: ArrayRef = Arc::new(datafusion::arrow::array::BinaryArray::from(vec![
                bytes.as_slice(),
            ]));
            last.merge_batch(&[states]).expect("merges");
        }
        assert_eq!(last.evaluate().expect("worklog"), expected);
        let ScalarValue::Utf8(Some(json)) = expected else {
            panic!("a JSON worklog");
        };
        let worklog = log_gardener::Worklog::from_json(&json).expect("a worklog");
        assert_eq!(worklog.input.entries_read, 3);
        assert_eq!(worklog.clusters.len(), 2);
    }
}

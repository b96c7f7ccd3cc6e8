//! `log_service(entry)`, `log_day(entry)` and friends: what an entry is
//! about, read the way the worklog reads it, for `GROUP BY`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use gardener_log_model::{Event, LogEntry};

/// A field of an entry, as the worklog sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum EntryField {
    /// The service (Cloud Run service or job, GKE container, ...).
    Service,
    /// The service's revision or version.
    Revision,
    /// The instance that logged the entry.
    Instance,
    /// The day of the entry's timestamp, `YYYY-MM-DD` in UTC.
    Day,
    /// The severity, `DEFAULT` when the entry has none.
    Severity,
}

impl EntryField {
    const ALL: [EntryField; 5] = [
        EntryField::Service,
        EntryField::Revision,
        EntryField::Instance,
        EntryField::Day,
        EntryField::Severity,
    ];

    fn function_name(self) -> &'static str {
        match self {
            EntryField::Service => "log_service",
            EntryField::Revision => "log_revision",
            EntryField::Instance => "log_instance",
            EntryField::Day => "log_day",
            EntryField::Severity => "log_severity",
        }
    }

    /// The field of one entry; `None` when the text is not an entry or the
    /// entry does not say.
    fn of(self, text: &str) -> Option<String> {
        let event = Event::from_entry(LogEntry::from_json(text.as_bytes()).ok()?);
        match self {
            EntryField::Service => event.service.map(String::from),
            EntryField::Revision => event.revision.map(String::from),
            EntryField::Instance => event.instance.map(String::from),
            EntryField::Day => event
                .timestamp
                .map(|time| time.date_naive().format("%Y-%m-%d").to_string()),
            EntryField::Severity => Some(event.severity.as_str().to_owned()),
        }
    }
}

/// One field function; the text in is a raw entry, the text out the field.
#[derive(Debug, PartialEq, Eq, Hash)]
struct EntryFieldFunction {
    field: EntryField,
    signature: Signature,
}

impl ScalarUDFImpl for EntryFieldFunction {
    fn name(&self) -> &str {
        self.field.function_name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = self.field.function_name();
        let [entries] = ColumnarValue::values_to_arrays(&args.args)?
            .try_into()
            .map_err(|_| {
                datafusion::common::DataFusionError::Plan(format!("{name} takes one entry"))
            })?;
        let field = |text: Option<&str>| text.and_then(|text| self.field.of(text));
        let values: StringArray = match entries.data_type() {
            DataType::Utf8 => entries.as_string::<i32>().iter().map(field).collect(),
            DataType::LargeUtf8 => entries.as_string::<i64>().iter().map(field).collect(),
            DataType::Utf8View => entries.as_string_view().iter().map(field).collect(),
            other => return exec_err!("{name} reads text entries, not {other}"),
        };
        let values: ArrayRef = Arc::new(values);
        if args
            .args
            .iter()
            .all(|arg| matches!(arg, ColumnarValue::Scalar(_)))
            && values.len() == 1
        {
            return Ok(ColumnarValue::Scalar(
                datafusion::common::ScalarValue::try_from_array(&values, 0)?,
            ));
        }
        Ok(ColumnarValue::Array(values))
    }
}

/// The field functions `log_service`, `log_revision`, `log_instance`,
/// `log_day` and `log_severity`: each takes a raw entry and returns that
/// field as the worklog reads it (NULL when the text is not an entry or
/// the entry does not say), for `GROUP BY` and `WHERE`.
pub fn field_functions() -> Vec<ScalarUDF> {
    EntryField::ALL
        .into_iter()
        .map(|field| {
            ScalarUDF::new_from_impl(EntryFieldFunction {
                field,
                signature: Signature::string(1, Volatility::Immutable),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"{"insertId":"a1","severity":"ERROR","textPayload":"boom","timestamp":"2025-09-14T23:59:59.9Z","labels":{"instanceId":"0069c7"},"resource":{"type":"cloud_run_revision","labels":{"service_name":"api","revision_name":"api-00002-abc"}}}"#;

    #[test]
    fn fields_are_read_as_the_worklog_reads_them() {
        assert_eq!(EntryField::Service.of(ENTRY).as_deref(), Some("api"));
        assert_eq!(
            EntryField::Revision.of(ENTRY).as_deref(),
            Some("api-00002-abc")
        );
        assert_eq!(EntryField::Instance.of(ENTRY).as_deref(), Some("0069c7"));
        assert_eq!(EntryField::Day.of(ENTRY).as_deref(), Some("2025-09-14"));
        assert_eq!(EntryField::Severity.of(ENTRY).as_deref(), Some("ERROR"));
    }

    #[test]
    fn text_that_is_not_an_entry_has_no_fields() {
        for field in EntryField::ALL {
            assert_eq!(field.of("not json"), None, "{field:?}");
        }
        assert_eq!(EntryField::Service.of("{}"), None);
    }

    #[test]
    fn names_are_distinct() {
        let names: std::collections::BTreeSet<_> = field_functions()
            .iter()
            .map(|f| f.name().to_owned())
            .collect();
        assert_eq!(names.len(), EntryField::ALL.len());
    }
}

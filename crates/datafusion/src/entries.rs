//! NDJSON files as a table of raw entries: one row per line, one text column.

use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::{plan_err, Result};
use datafusion::datasource::file_format::csv::CsvFormat;
use datafusion::datasource::file_format::file_compression_type::FileCompressionType;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::prelude::{DataFrame, SessionContext};

/// The name of the one column of an entries table: the entry's JSON text.
pub const ENTRY_COLUMN: &str = "entry";

/// Valid JSON never holds these bytes raw (control characters in strings
/// must be escaped, and whitespace is space, tab, CR and LF), so as the CSV
/// delimiter and quote they make every line one field, taken verbatim.
const UNIT_SEPARATOR: u8 = 0x1f;
const RECORD_SEPARATOR: u8 = 0x1e;

/// The schema of an entries table: one nullable text column, [`ENTRY_COLUMN`].
pub fn entries_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new(
        ENTRY_COLUMN,
        DataType::Utf8,
        true,
    )]))
}

/// NDJSON files, one Cloud Logging entry per line, read as a table of raw
/// entries: the format a Cloud Storage sink writes (hourly files under
/// `<log-id>/YYYY/MM/DD/`).
///
/// Paths are files or directories: local paths, or URLs of an object store
/// registered with the context (`gs://bucket/run.googleapis.com/stderr/`).
/// A directory is read recursively (in a session that does not ignore
/// subdirectories, as [`session_config`](crate::session_config) sets up),
/// files ending in the extension
/// (`.json` unless [`with_extension`](NdjsonEntries::with_extension)) and
/// the same ending in `.gz`, which are decompressed. A file named
/// explicitly is read whatever its name; `.gz` is decompressed.
///
/// The table is read by DataFusion's CSV reader with a delimiter and quote
/// that valid JSON never contains raw, so each line is one row, verbatim.
/// Whole files go to partitions (unless the session splits files into byte
/// ranges, see [`session_config`](crate::session_config)), and a scan keeps
/// each file's lines in order.
///
/// ```no_run
/// use datafusion::prelude::SessionContext;
/// use gardener_datafusion::NdjsonEntries;
///
/// # async fn run() -> datafusion::error::Result<()> {
/// let ctx = SessionContext::new();
/// NdjsonEntries::new(["exports/run.googleapis.com/stderr/"]).register(&ctx, "entries")?;
/// let rows = ctx.sql("SELECT count(*) FROM entries").await?.collect().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct NdjsonEntries {
    paths: Vec<String>,
    extension: String,
    gzip: bool,
}

impl NdjsonEntries {
    /// Entries in these files and directories.
    pub fn new<I, S>(paths: I) -> NdjsonEntries
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        NdjsonEntries {
            paths: paths.into_iter().map(Into::into).collect(),
            extension: ".json".to_owned(),
            gzip: true,
        }
    }

    /// Reads files ending in `extension` (and `extension` + `.gz`) from
    /// directories; Cloud Storage sinks write `.json`.
    pub fn with_extension(mut self, extension: impl Into<String>) -> NdjsonEntries {
        self.extension = extension.into();
        self
    }

    /// Whether `.gz` files are read (default true). Off, directories list
    /// only uncompressed files and a `.gz` file named explicitly is an
    /// error: for Ballista, whose executors would read compressed files as
    /// plain text (DataFusion 55 does not send a CSV scan's compression
    /// over the wire).
    pub fn with_gzip(mut self, gzip: bool) -> NdjsonEntries {
        self.gzip = gzip;
        self
    }

    /// The paths, as given.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Registers the entries as table `name`.
    pub fn register(&self, ctx: &SessionContext, name: &str) -> Result<()> {
        let mut tables = self.listing_tables()?;
        if tables.len() == 1 {
            ctx.register_table(name, tables.remove(0))?;
        } else {
            ctx.register_table(name, self.read_tables(ctx, tables)?.into_view())?;
        }
        Ok(())
    }

    /// The entries as a data frame.
    pub fn read(&self, ctx: &SessionContext) -> Result<DataFrame> {
        let tables = self.listing_tables()?;
        self.read_tables(ctx, tables)
    }

    fn read_tables(
        &self,
        ctx: &SessionContext,
        tables: Vec<Arc<ListingTable>>,
    ) -> Result<DataFrame> {
        let mut frames = tables.into_iter().map(|table| ctx.read_table(table));
        let Some(first) = frames.next() else {
            return plan_err!("no paths to read entries from");
        };
        frames.try_fold(first?, |all, next| all.union(next?))
    }

    /// One listing table per kind of path: directories and named files,
    /// plain and gzip-compressed (a listing table has one compression and
    /// one extension filter).
    fn listing_tables(&self) -> Result<Vec<Arc<ListingTable>>> {
        if self.paths.is_empty() {
            return plan_err!("no paths to read entries from");
        }
        let gz_extension = format!("{}.gz", self.extension);
        let mut directories = Vec::new();
        let mut plain_files = Vec::new();
        let mut gz_files = Vec::new();
        for path in &self.paths {
            let url = parse_path(path)?;
            if url.is_collection() {
                directories.push(url);
            } else if path.ends_with(".gz") {
                if !self.gzip {
                    return plan_err!(
                        "cannot read entries from {path}: gzip-compressed files are turned off \
                         (a distributed scan would read them as plain text)"
                    );
                }
                gz_files.push(url);
            } else {
                plain_files.push(url);
            }
        }
        let kinds = [
            (
                directories.clone(),
                self.extension.as_str(),
                FileCompressionType::UNCOMPRESSED,
            ),
            (
                if self.gzip { directories } else { Vec::new() },
                gz_extension.as_str(),
                FileCompressionType::GZIP,
            ),
            (plain_files, "", FileCompressionType::UNCOMPRESSED),
            (gz_files, "", FileCompressionType::GZIP),
        ];
        kinds
            .into_iter()
            .filter(|(urls, _, _)| !urls.is_empty())
            .map(|(urls, extension, compression)| listing_table(urls, extension, compression))
            .collect()
    }
}

/// A path as a listing URL; a local path must exist (the listing would
/// otherwise take a missing directory for a missing file).
fn parse_path(path: &str) -> Result<ListingTableUrl> {
    let has_scheme = path.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if !has_scheme && !Path::new(path).exists() {
        return plan_err!("cannot read entries from {path}: no such file or directory");
    }
    ListingTableUrl::parse(path)
}

fn listing_table(
    urls: Vec<ListingTableUrl>,
    extension: &str,
    compression: FileCompressionType,
) -> Result<Arc<ListingTable>> {
    let format = CsvFormat::default()
        .with_has_header(false)
        .with_delimiter(UNIT_SEPARATOR)
        .with_quote(RECORD_SEPARATOR)
        .with_escape(None)
        .with_comment(None)
        .with_newlines_in_values(false)
        .with_file_compression_type(compression);
    let options = ListingOptions::new(Arc::new(format)).with_file_extension(extension);
    let config = ListingTableConfig::new_with_multi_paths(urls)
        .with_listing_options(options)
        .with_schema(entries_schema());
    Ok(Arc::new(ListingTable::try_new(config)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_local_path_is_named() {
        let message = NdjsonEntries::new(["/no/such/export/"])
            .read(&SessionContext::new())
            .expect_err("refused")
            .to_string();
        assert!(message.contains("/no/such/export/"), "{message}");
    }

    #[test]
    fn a_named_gz_file_is_refused_when_gzip_is_off() {
        let dir = std::env::temp_dir();
        let path = dir.join(format!(
            "gardener-datafusion-{}.json.gz",
            std::process::id()
        ));
        std::fs::write(&path, b"").expect("writable temporary directory");
        let name = path.display().to_string();
        let message = NdjsonEntries::new([name.clone()])
            .with_gzip(false)
            .read(&SessionContext::new())
            .expect_err("refused")
            .to_string();
        std::fs::remove_file(&path).expect("removable");
        assert!(
            message.contains(&name) && message.contains("gzip"),
            "{message}"
        );
    }

    #[test]
    fn no_paths_is_an_error() {
        let entries = NdjsonEntries::new(Vec::<String>::new());
        assert!(entries.read(&SessionContext::new()).is_err());
    }
}

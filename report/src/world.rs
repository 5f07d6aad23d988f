//! A small Typst `World`: one main source, virtual files in memory, the fonts shipped in
//! `typst-assets`. No file system, no packages, no network.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Features, Library, LibraryExt, World};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Typst refused the template or the data (a bug in this crate, not in the input).
    #[error("typesetting failed: {0}")]
    Typst(String),
}

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

// Parsing the fonts takes a while; do it once per process.
static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| {
    LazyHash::new(
        Library::builder()
            .with_features(Features::from_iter([Feature::Html]))
            .build(),
    )
});

fn id(path: &str) -> FileId {
    let vp = VirtualPath::new(path).expect("a valid virtual path");
    RootedPath::new(VirtualRoot::Project, vp).intern()
}

struct ReportWorld {
    main: FileId,
    source: Source,
    files: HashMap<FileId, Bytes>,
}

impl ReportWorld {
    fn new(template: &str, files: Vec<(String, Vec<u8>)>) -> ReportWorld {
        let main = id("/main.typ");
        ReportWorld {
            main,
            source: Source::new(main, template.to_string()),
            files: files
                .into_iter()
                .map(|(name, data)| (id(&format!("/{name}")), Bytes::new(data)))
                .collect(),
        }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main {
            return Ok(Bytes::from_string(self.source.clone()));
        }
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        let d = chrono::Local::now().date_naive();
        use chrono::Datelike;
        Datetime::from_ymd(d.year(), d.month() as u8, d.day() as u8)
    }
}

fn errors(diags: &[SourceDiagnostic]) -> ReportError {
    let text = diags
        .iter()
        .map(|d| {
            let mut m = d.message.to_string();
            for h in &d.hints {
                m.push_str(&format!(" (hint: {})", h.v));
            }
            m
        })
        .collect::<Vec<_>>()
        .join("; ");
    ReportError::Typst(text)
}

/// Typesets the template to PDF.
pub fn pdf(template: &str, files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, ReportError> {
    let world = ReportWorld::new(template, files);
    let doc = typst::compile::<typst_layout::PagedDocument>(&world)
        .output
        .map_err(|d| errors(&d))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|d| errors(&d))
}

/// Typesets the template to HTML.
pub fn html(template: &str, files: Vec<(String, Vec<u8>)>) -> Result<String, ReportError> {
    let world = ReportWorld::new(template, files);
    let doc = typst::compile::<typst_html::HtmlDocument>(&world)
        .output
        .map_err(|d| errors(&d))?;
    typst_html::html(&doc, &typst_html::HtmlOptions::default()).map_err(|d| errors(&d))
}

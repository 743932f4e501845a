//! `eduaid.Policy`: the core's dated policy store (政策参数), national layer plus region
//! overlays. Reading an overlay file is the only I/O of the binding; validating it is the
//! core's job.

use crate::errors::{guard, IntoPyResult};
use chrono::NaiveDate;
use eduaid::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use std::path::PathBuf;

/// The policy: the embedded national standards (`cn-national`) and the region overlays
/// loaded on top, with a fingerprint of the whole.
///
/// A policy pickles (to ship it to Spark or Dask workers, or to another process): the
/// binding keeps the overlay texts it was built from and rebuilds it from them, checking
/// that the fingerprint is the same.
#[pyclass(frozen, name = "Policy", module = "eduaid")]
#[derive(Clone)]
pub struct PyPolicy {
    /// The core policy.
    pub policy: eduaid::Policy,
    /// The overlays loaded on the national policy, in order: (label, JSON text).
    overlays: Vec<(String, String)>,
}

impl PyPolicy {
    /// The policy given to a function, or the national one.
    pub fn or_national(
        py: Python<'_>,
        policy: Option<&Bound<'_, PyPolicy>>,
    ) -> PyResult<eduaid::Policy> {
        match policy {
            Some(p) => Ok(p.get().policy.clone()),
            None => national(py),
        }
    }
}

impl PyPolicy {
    /// This policy with the overlay `text` (labelled `label`) on top.
    fn add(&self, py: Python<'_>, label: String, text: String) -> PyResult<PyPolicy> {
        let base = self.policy.clone();
        let result = py.detach(|| guard(|| base.with_overlay(&label, &text)));
        let policy = result.py(py)?;
        let mut overlays = self.overlays.clone();
        overlays.push((label, text));
        Ok(PyPolicy { policy, overlays })
    }
}

/// The national policy, with a panic of the embedded data turned into an `EduaidError`.
pub fn national(py: Python<'_>) -> PyResult<eduaid::Policy> {
    guard(|| Ok(eduaid::Policy::national())).py(py)
}

/// What `with_overlay` was given: a path to read, the text itself, or a string that is
/// neither an existing file nor JSON (most likely a mistyped path).
enum Overlay {
    File(PathBuf),
    Text(String),
    Missing(String),
}

fn overlay_source(source: &Bound<'_, PyAny>) -> PyResult<Overlay> {
    if let Ok(bytes) = source.cast::<PyBytes>() {
        return Ok(Overlay::Text(
            String::from_utf8_lossy(bytes.as_bytes()).into_owned(),
        ));
    }
    if let Ok(text) = source.cast::<PyString>() {
        let text = text.to_cow()?;
        let text: &str = &text;
        let path = PathBuf::from(text);
        // JSON text never names an existing file; a path is tried first, as documented.
        if !text.contains('\n') && path.is_file() {
            return Ok(Overlay::File(path));
        }
        if !text.trim_start().starts_with('{') && !text.contains('\n') {
            return Ok(Overlay::Missing(text.to_string()));
        }
        return Ok(Overlay::Text(text.to_string()));
    }
    // Any other os.PathLike (pathlib.Path, ...).
    Ok(Overlay::File(source.extract::<PathBuf>()?))
}

#[pymethods]
impl PyPolicy {
    /// The embedded national policy (cn-national), from 2016-09-01 on.
    ///
    /// >>> import eduaid
    /// >>> policy = eduaid.Policy.national()
    /// >>> policy.id, policy.regions
    /// ('cn-national', [])
    /// >>> str(policy.coverage_start)
    /// '2016-09-01'
    #[staticmethod]
    fn national(py: Python<'_>) -> PyResult<PyPolicy> {
        national(py).map(|policy| PyPolicy {
            policy,
            overlays: Vec::new(),
        })
    }

    /// A new policy with a region overlay on top.
    ///
    /// ``source`` is a path (``str`` or ``os.PathLike``) when it names an existing file,
    /// else the overlay's JSON text (``str`` or ``bytes``). ``name`` labels the text in
    /// errors (default: the path, or ``<text>``). The overlay is rejected whole on any
    /// error, with a ``PolicyError`` naming the file, the line and the field.
    #[pyo3(signature = (source, name = None))]
    fn with_overlay(
        &self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        name: Option<String>,
    ) -> PyResult<PyPolicy> {
        let (label, text) = match overlay_source(source)? {
            Overlay::Text(text) => (name.unwrap_or_else(|| "<text>".into()), text),
            Overlay::Missing(path) => {
                return Err(crate::errors::raise(
                    py,
                    Error::Policy {
                        file: name.unwrap_or_else(|| path.clone()),
                        line: 0,
                        field: String::new(),
                        code: "not_found".into(),
                        message: format!(
                            "no file '{path}' exists, and the text is not a JSON overlay"
                        ),
                    },
                ))
            }
            Overlay::File(path) => {
                let label = name.unwrap_or_else(|| path.display().to_string());
                let bytes = std::fs::read(&path).map_err(|e| {
                    crate::errors::raise(
                        py,
                        Error::Policy {
                            file: label.clone(),
                            line: 0,
                            field: String::new(),
                            code: "unreadable".into(),
                            message: format!("cannot read the overlay file: {e}"),
                        },
                    )
                })?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    crate::errors::raise(
                        py,
                        Error::Policy {
                            file: label.clone(),
                            line: 0,
                            field: String::new(),
                            code: "invalid_utf8".into(),
                            message: "the overlay file is not UTF-8 text".into(),
                        },
                    )
                })?;
                (label, text)
            }
        };
        self.add(py, label, text)
    }

    /// This policy with the overlay shipped for ``region`` (a county code) on top.
    ///
    /// >>> import eduaid
    /// >>> eduaid.Policy.national().with_region("130431").regions
    /// ['130431']
    fn with_region(&self, py: Python<'_>, region: &str) -> PyResult<PyPolicy> {
        match eduaid::Policy::shipped_overlay(region) {
            Some((file, text)) => self.add(py, file.to_string(), text.to_string()),
            // Not shipped: the core's own error (`unknown_region`).
            None => match guard(|| self.policy.with_region(region)).py(py) {
                Ok(policy) => Ok(PyPolicy {
                    policy,
                    overlays: self.overlays.clone(),
                }),
                Err(e) => Err(e),
            },
        }
    }

    /// A new policy with the overlay whose JSON text is ``text`` on top (never read as a
    /// path); ``name`` labels it in errors.
    #[pyo3(signature = (text, name = "<text>"))]
    fn with_overlay_text(&self, py: Python<'_>, text: String, name: &str) -> PyResult<PyPolicy> {
        self.add(py, name.to_string(), text)
    }

    /// The policy id (``cn-national``).
    #[getter]
    fn id(&self) -> &str {
        self.policy.id()
    }

    /// SHA-256 (hex) of the canonical form of every loaded layer.
    #[getter]
    fn fingerprint(&self) -> &str {
        self.policy.fingerprint()
    }

    /// The regions of the loaded overlays, in load order.
    #[getter]
    fn regions(&self) -> Vec<String> {
        self.policy.regions()
    }

    /// The first date the policy answers for.
    #[getter]
    fn coverage_start(&self) -> NaiveDate {
        self.policy.coverage_start()
    }

    /// Every parameter name the policy knows (any layer), sorted.
    fn parameter_names(&self) -> Vec<String> {
        self.policy
            .parameter_names()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Rebuild a policy from the national one and its overlays' ``(label, text)`` pairs
    /// (what pickling stores); ``fingerprint`` is checked when given.
    #[staticmethod]
    #[pyo3(signature = (overlays, fingerprint = None))]
    fn _from_overlays(
        py: Python<'_>,
        overlays: Vec<(String, String)>,
        fingerprint: Option<String>,
    ) -> PyResult<PyPolicy> {
        let mut policy = national(py)?;
        for (label, text) in &overlays {
            policy = guard(|| policy.with_overlay(label, text)).py(py)?;
        }
        if let Some(expected) = fingerprint {
            if expected != policy.fingerprint() {
                return Err(crate::errors::raise(
                    py,
                    Error::Policy {
                        file: "<pickle>".into(),
                        line: 0,
                        field: String::new(),
                        code: "fingerprint_mismatch".into(),
                        message: format!(
                            "the policy rebuilt from its overlays has fingerprint {}, not {expected}: this eduaid embeds other national data than the one that pickled it",
                            policy.fingerprint()
                        ),
                    },
                ));
            }
        }
        Ok(PyPolicy { policy, overlays })
    }

    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Vec<(String, String)>, String))> {
        let rebuild = slf.get_type().getattr("_from_overlays")?;
        let this = slf.get();
        Ok((
            rebuild,
            (this.overlays.clone(), this.policy.fingerprint().to_string()),
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyPolicy>()
            .is_ok_and(|o| o.get().policy.fingerprint() == self.policy.fingerprint())
    }

    fn __hash__(&self) -> u64 {
        let hex = self.policy.fingerprint();
        u64::from_str_radix(hex.get(..16).unwrap_or("0"), 16).unwrap_or(0)
    }

    fn __repr__(&self) -> String {
        let regions = self.policy.regions();
        let fp = self.policy.fingerprint().get(..12).unwrap_or("");
        if regions.is_empty() {
            format!("<Policy {} fingerprint={fp}>", self.policy.id())
        } else {
            format!(
                "<Policy {} + {} fingerprint={fp}>",
                self.policy.id(),
                regions.join(", ")
            )
        }
    }
}

//! The API's request body and its error answers: JSON with the loader's
//! located message, the status saying who must act (400 the request, 403
//! not allowed, 409 a conflict, 500 a bug).

use super::Served;
use crate::error::{Error, InputError, InputErrors};
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// A request body of the API (`name` only for save and toml).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiRequest {
    #[serde(default)]
    pub overrides: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub replications: Option<u64>,
    #[serde(default)]
    pub name: Option<String>,
}

/// An error as the API answers it.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub error: String,
    /// `file:line:column` when the error sits in a scenario text.
    pub location: Option<String>,
    pub field: Option<String>,
    pub fix: Option<String>,
    /// The message as the command line prints it (with the source line).
    pub message: String,
}

impl From<&InputError> for ErrorBody {
    fn from(e: &InputError) -> Self {
        ErrorBody {
            error: e.message.clone(),
            location: e
                .location
                .as_ref()
                .map(|l| format!("{}:{}:{}", l.file, l.line, l.column)),
            field: e.field.clone(),
            fix: e.fix.clone(),
            message: e.to_string(),
        }
    }
}

/// An answer with a status and a JSON error.
pub struct Failure(pub StatusCode, pub Box<ErrorBody>);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.0, axum::Json(self.1)).into_response()
    }
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>, fix: impl Into<String>) -> Failure {
        let message = message.into();
        Failure(
            status,
            Box::new(ErrorBody {
                error: message.clone(),
                location: None,
                field: None,
                fix: Some(fix.into()),
                message,
            }),
        )
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        match e {
            Error::Input(InputErrors(errors)) => match errors.first() {
                Some(first) => Failure(StatusCode::BAD_REQUEST, Box::new(first.into())),
                None => Failure::new(StatusCode::BAD_REQUEST, "bad input", "check the request"),
            },
            Error::Internal(e) => Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("internal: {e}"),
                "report this as a bug",
            ),
        }
    }
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Failure {
        Failure(StatusCode::BAD_REQUEST, Box::new((&e).into()))
    }
}

/// The request body, with JSON errors located (line and column).
pub fn body(bytes: &Bytes) -> Result<ApiRequest, Failure> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(ApiRequest::default());
    }
    serde_json::from_slice(bytes).map_err(|e| {
        let message = format!("request body: {e}");
        Failure(
            StatusCode::BAD_REQUEST,
            Box::new(ErrorBody {
                error: message.clone(),
                location: Some(format!("request:{}:{}", e.line(), e.column())),
                field: None,
                fix: Some(
                    "send {\"overrides\": {\"dotted.path\": value}, \"replications\": N}".into(),
                ),
                message,
            }),
        )
    })
}

/// The replications asked, within 1 … the server's maximum.
pub fn replications(s: &Served, asked: Option<u64>) -> Result<u64, Failure> {
    let n = asked.unwrap_or(s.replications);
    if n == 0 || n > s.max_replications {
        let mut f = Failure::new(
            StatusCode::BAD_REQUEST,
            format!("replications {n} is outside 1 … {}", s.max_replications),
            format!(
                "ask for 1 to {} replications (the server's --max-replications)",
                s.max_replications
            ),
        );
        f.1.field = Some("replications".into());
        return Err(f);
    }
    Ok(n)
}

pub fn internal(e: impl std::fmt::Display) -> Failure {
    Failure::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("internal: {e}"),
        "report this as a bug",
    )
}

//! # cabe-ollama
//!
//! The I/O shell around `cabe doctor`: it reads what a local inference setup is configured to
//! do, and hands it to the pure diagnosis (`cabe-doctor`).
//!
//! * [`store`] — Ollama's on-disk store (`$OLLAMA_MODELS`, default `~/.ollama/models`):
//!   manifests → layers by media type (model GGUF, params JSON, template, system, projector,
//!   adapter, license, messages) → blobs, with names resolved as Ollama does ([`name`]:
//!   default registry, namespace `library`, tag `latest`). Small layers are digest-checked;
//!   nothing is read without a size bound.
//! * [`api`] — Ollama's REST API: `/api/version`, `/api/tags`, `/api/show`, `/api/ps`.
//! * [`llama_server`] — llama.cpp's `llama-server`: `/health`, `/props`, `/slots`,
//!   `/tokenize`.
//! * [`modelfile`] — Modelfile parsing and writing (FROM, PARAMETER, TEMPLATE, SYSTEM, ADAPTER,
//!   LICENSE, MESSAGE, …).
//! * [`env`] — the `OLLAMA_*` variables that change context and memory.
//! * [`http`] — the blocking client under both APIs: 2 s connect/read timeouts, a 5 s cap on a
//!   whole request, a 16 MiB cap on a reply, and errors sorted into *not running*, *hung*,
//!   *HTTP error* and *garbage*, so that a dead server becomes a finding, never a hang.
//!
//! Sources: Ollama's `docs/api.md`, `api/types.go`, `envconfig/config.go`, `parser/parser.go`
//! and `manifest/*.go`, and llama.cpp's `tools/server/README.md` (see `docs/sources.md`),
//! checked against the recorded replies in `tests/fixtures/ollama/` and
//! `tests/fixtures/llamacpp/server/`.

pub mod api;
pub mod env;
pub mod http;
pub mod llama_server;
pub mod modelfile;
pub mod name;
pub mod store;
#[cfg(feature = "testkit")]
pub mod testkit;

//! Modelfiles: parsing (Ollama `parser/parser.go`, `docs/modelfile.mdx`) and writing.
//!
//! Syntax: `# comment` lines and `INSTRUCTION arguments`, instructions case-insensitive. A value
//! is the rest of the line, a `"quoted"` string (with `\"` escapes) or a `"""multi-line"""`
//! block. `PARAMETER name value` and `MESSAGE role text` take a word first.

use cabe_core::text::shown;
use serde::Serialize;
use std::fmt::Write as _;

/// One instruction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "instruction", rename_all = "UPPERCASE")]
pub enum Command {
    From { value: String },
    Parameter { name: String, value: String },
    Template { value: String },
    System { value: String },
    Adapter { value: String },
    License { value: String },
    Message { role: String, value: String },
    Requires { value: String },
    Renderer { value: String },
    Parser { value: String },
    Draft { value: String },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Modelfile {
    pub commands: Vec<Command>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("Modelfile line {line}: {problem}")]
pub struct ParseError {
    pub line: usize,
    pub problem: String,
}

impl Modelfile {
    pub fn parse(text: &str) -> Result<Modelfile, ParseError> {
        Parser {
            s: text.as_bytes(),
            text,
            i: 0,
            line: 1,
        }
        .parse()
    }

    pub fn from(&self) -> Option<&str> {
        self.commands.iter().find_map(|c| match c {
            Command::From { value } => Some(value.as_str()),
            _ => None,
        })
    }

    /// Every PARAMETER, in order (a name may repeat, e.g. `stop`).
    pub fn parameters(&self) -> impl Iterator<Item = (&str, &str)> {
        self.commands.iter().filter_map(|c| match c {
            Command::Parameter { name, value } => Some((name.as_str(), value.as_str())),
            _ => None,
        })
    }

    /// The last value of a parameter (Ollama keeps the last for scalar options).
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .last()
    }

    /// The Modelfile as text Ollama parses back to the same commands.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for c in &self.commands {
            let _ = match c {
                Command::From { value } => writeln!(out, "FROM {}", quote_if_needed(value)),
                Command::Parameter { name, value } => {
                    writeln!(out, "PARAMETER {name} {}", quote_if_needed(value))
                }
                Command::Template { value } => writeln!(out, "TEMPLATE {}", block(value)),
                Command::System { value } => writeln!(out, "SYSTEM {}", block(value)),
                Command::Adapter { value } => writeln!(out, "ADAPTER {}", quote_if_needed(value)),
                Command::License { value } => writeln!(out, "LICENSE {}", block(value)),
                Command::Message { role, value } => {
                    writeln!(out, "MESSAGE {role} {}", block(value))
                }
                Command::Requires { value } => writeln!(out, "REQUIRES {}", quote_if_needed(value)),
                Command::Renderer { value } => writeln!(out, "RENDERER {}", quote_if_needed(value)),
                Command::Parser { value } => writeln!(out, "PARSER {}", quote_if_needed(value)),
                Command::Draft { value } => writeln!(out, "DRAFT {}", quote_if_needed(value)),
            };
        }
        out
    }
}

fn quote_if_needed(v: &str) -> String {
    if v.is_empty() || v.contains(char::is_whitespace) || v.starts_with('"') || v.contains('#') {
        if v.contains('\n') {
            block(v)
        } else {
            format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
        }
    } else {
        v.to_string()
    }
}

fn block(v: &str) -> String {
    if v.contains("\"\"\"") || v.ends_with('"') {
        // Cannot be a """ block: the first """ ends one, so a value holding """ or ending in
        // a quote (`a""` would be written `"""a"""""`) is kept by a quoted string instead.
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        format!("\"\"\"{v}\"\"\"")
    }
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    line: usize,
}

impl<'a> Parser<'a> {
    fn err<T>(&self, problem: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            line: self.line,
            problem: problem.into(),
        })
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        if c == b'\n' {
            self.line += 1;
        }
        Some(c)
    }
    fn skip_blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r')) {
            self.bump();
        }
    }
    fn rest_of_line(&mut self) -> &'a str {
        let start = self.i;
        while !matches!(self.peek(), None | Some(b'\n')) {
            self.bump();
        }
        &self.text[start..self.i]
    }
    fn word(&mut self) -> &'a str {
        let start = self.i;
        while matches!(self.peek(), Some(c) if !c.is_ascii_whitespace()) {
            self.bump();
        }
        &self.text[start..self.i]
    }
    /// A value: `"""…"""`, `"…"` or the rest of the line (trimmed).
    fn value(&mut self) -> Result<String, ParseError> {
        self.skip_blank();
        if self.s[self.i..].starts_with(b"\"\"\"") {
            let start_line = self.line;
            self.i += 3;
            let start = self.i;
            loop {
                if self.s[self.i..].starts_with(b"\"\"\"") {
                    let v = self.text[start..self.i].to_string();
                    self.i += 3;
                    self.trailing()?;
                    return Ok(v);
                }
                if self.bump().is_none() {
                    return Err(ParseError {
                        line: start_line,
                        problem: "unterminated \"\"\" block".into(),
                    });
                }
            }
        }
        if self.peek() == Some(b'"') {
            self.bump();
            let mut v = String::new();
            let start_line = self.line;
            loop {
                match self.bump() {
                    // Ollama writes multi-line "…" values too (a LICENSE in /api/show's
                    // modelfile): only the end of the file ends one unterminated.
                    None => {
                        return Err(ParseError {
                            line: start_line,
                            problem: "unterminated quoted string".into(),
                        })
                    }
                    Some(b'\\') if matches!(self.peek(), Some(b'"' | b'\\')) => {
                        v.push(self.bump().expect("peeked") as char)
                    }
                    Some(b'"') => {
                        self.trailing()?;
                        return Ok(v);
                    }
                    Some(b'\n') => v.push('\n'),
                    Some(_) => {
                        // Copy whole UTF-8 characters.
                        let start = self.i - 1;
                        while self.i < self.s.len() && !self.text.is_char_boundary(self.i) {
                            self.i += 1;
                        }
                        v.push_str(&self.text[start..self.i]);
                    }
                }
            }
        }
        Ok(self.rest_of_line().trim().to_string())
    }
    /// After a closing quote: only blanks to the end of the line.
    fn trailing(&mut self) -> Result<(), ParseError> {
        self.skip_blank();
        match self.peek() {
            None | Some(b'\n') => Ok(()),
            _ => self.err("unexpected text after a closing quote"),
        }
    }
    fn parse(mut self) -> Result<Modelfile, ParseError> {
        let mut commands = Vec::new();
        loop {
            while matches!(self.peek(), Some(c) if c.is_ascii_whitespace()) {
                self.bump();
            }
            let Some(c) = self.peek() else { break };
            if c == b'#' {
                self.rest_of_line();
                continue;
            }
            let word = self.word().to_ascii_uppercase();
            self.skip_blank();
            let cmd = match word.as_str() {
                "FROM" => Command::From {
                    value: self.value()?,
                },
                "PARAMETER" => {
                    let name = self.word().to_ascii_lowercase();
                    if name.is_empty() {
                        return self.err("PARAMETER needs a name and a value");
                    }
                    let value = self.value()?;
                    if value.is_empty() {
                        return self.err(format!("PARAMETER {} has no value", shown(&name, 80)));
                    }
                    Command::Parameter { name, value }
                }
                "MESSAGE" => {
                    let role = self.word().to_ascii_lowercase();
                    if !matches!(role.as_str(), "system" | "user" | "assistant") {
                        return self.err(format!(
                            "MESSAGE role '{}' is not system, user or assistant",
                            shown(&role, 80)
                        ));
                    }
                    Command::Message {
                        role,
                        value: self.value()?,
                    }
                }
                "TEMPLATE" => Command::Template {
                    value: self.value()?,
                },
                "SYSTEM" => Command::System {
                    value: self.value()?,
                },
                "ADAPTER" => Command::Adapter {
                    value: self.value()?,
                },
                "LICENSE" => Command::License {
                    value: self.value()?,
                },
                "REQUIRES" => Command::Requires {
                    value: self.value()?,
                },
                "RENDERER" => Command::Renderer {
                    value: self.value()?,
                },
                "PARSER" => Command::Parser {
                    value: self.value()?,
                },
                "DRAFT" => Command::Draft {
                    value: self.value()?,
                },
                other => {
                    return self.err(format!(
                        "unknown instruction '{}' (FROM, PARAMETER, TEMPLATE, SYSTEM, ADAPTER, LICENSE, MESSAGE, REQUIRES)",
                        shown(other, 40)
                    ))
                }
            };
            commands.push(cmd);
        }
        let m = Modelfile { commands };
        if m.from().is_none() && !m.commands.is_empty() {
            return Err(ParseError {
                line: 1,
                problem: "no FROM instruction".into(),
            });
        }
        Ok(m)
    }
}

/// Ollama's `/api/show` `parameters` string: aligned `name value` lines, values of `stop`
/// quoted. Returns (name, value) pairs with quotes removed.
pub fn parse_show_parameters(s: &str) -> Vec<(String, String)> {
    s.lines()
        .filter_map(|l| {
            let l = l.trim();
            let (name, value) = l.split_once(char::is_whitespace)?;
            let v = value.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .unwrap_or(v);
            Some((name.to_string(), v.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_values_and_blocks() {
        let m = Modelfile::parse(
            "# a comment\nfrom qwen3-coder:30b\nPARAMETER num_ctx 131072\nPARAMETER stop \"<|im_end|>\"\n\
             PARAMETER stop <|im_start|>\nTEMPLATE \"\"\"{{ .System }}\n{{ .Prompt }}\"\"\"\n\
             SYSTEM You are a \"helpful\" assistant.\nMESSAGE user Hi there\nLICENSE \"\"\"MIT\"\"\"\n",
        )
        .unwrap();
        assert_eq!(m.from(), Some("qwen3-coder:30b"));
        assert_eq!(m.parameter("num_ctx"), Some("131072"));
        let stops: Vec<_> = m
            .parameters()
            .filter(|p| p.0 == "stop")
            .map(|p| p.1)
            .collect();
        assert_eq!(stops, ["<|im_end|>", "<|im_start|>"]);
        assert!(m.commands.contains(&Command::Template {
            value: "{{ .System }}\n{{ .Prompt }}".into()
        }));
        assert!(m.commands.contains(&Command::System {
            value: "You are a \"helpful\" assistant.".into()
        }));
        assert!(m.commands.contains(&Command::Message {
            role: "user".into(),
            value: "Hi there".into()
        }));
        // Round trip.
        assert_eq!(Modelfile::parse(&m.render()).unwrap(), m);
    }

    #[test]
    fn errors_name_the_line() {
        let e = Modelfile::parse("FROM x\nPARAMETR num_ctx 1\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Modelfile::parse("FROM x\nTEMPLATE \"\"\"never closed\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Modelfile::parse("FROM x\nSYSTEM \"never\nclosed\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(Modelfile::parse("PARAMETER num_ctx 1\n").is_err());
        assert!(Modelfile::parse("FROM x\nPARAMETER num_ctx\n").is_err());
        assert!(Modelfile::parse("FROM x\nMESSAGE robot hi\n").is_err());
    }

    #[test]
    fn show_parameters_string() {
        // tests/fixtures/ollama/api_show_qwen3-30b-a3b_qwen3moe_abbrev.json "parameters"
        let p = parse_show_parameters(
            "top_p                          0.95\nrepeat_penalty                 1\nstop                           \"<|im_start|>\"\nstop                           \"<|im_end|>\"\ntemperature                    0.6\ntop_k                          20",
        );
        assert_eq!(p.len(), 6);
        assert_eq!(p[2], ("stop".to_string(), "<|im_start|>".to_string()));
    }
}

//! One run of the tool: the chosen operation's arguments, the global settings, the
//! environment's credentials, and the output.

use crate::exit::{Exit, Failure};
use crate::output::{self, Format};
use api_token_runtime::paginate::{Stream, StreamExt};
use api_token_runtime::Error;
use api_token_runtime::PreparedRequest;
use api_token_runtime::{BasicAuth, Config, RetryPolicy, Secret};
use clap::ArgMatches;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::cell::RefCell;
use std::fmt::Display;
use std::time::Duration;

/// What a generated vendor module needs to run one operation.
#[derive(Debug)]
pub struct Session {
    operation: String,
    matches: ArgMatches,
    format: Format,
    pub(crate) dry_run: bool,
    timeout: Option<u64>,
    retries: Option<u32>,
    /// `--rate-limit-store` or `<VENDOR>_RATE_LIMIT_STORE`: a Redis URL (may hold a password).
    pub(crate) rate_limit_store: Option<String>,
    /// Secret values read from the environment, blanked out of anything printed.
    secrets: RefCell<Vec<String>>,
}

impl Session {
    pub(crate) fn new(vendor: &str, operation: &str, matches: &ArgMatches) -> Self {
        let format = match matches.get_one::<String>("output").map(String::as_str) {
            Some("table") => Format::Table,
            _ => Format::Json,
        };
        Self {
            operation: operation.to_owned(),
            matches: matches.clone(),
            format,
            dry_run: matches.get_flag("dry-run"),
            timeout: matches.get_one::<u64>("timeout").copied(),
            retries: matches.get_one::<u32>("retries").copied(),
            rate_limit_store: matches
                .get_one::<String>("rate-limit-store")
                .cloned()
                .or_else(|| std::env::var(store_var(vendor)).ok())
                .filter(|url| !url.is_empty()),
            secrets: RefCell::default(),
        }
    }

    /// The operation's subcommand name and its arguments (global ones included).
    pub fn operation(&self) -> (&str, &ArgMatches) {
        (&self.operation, &self.matches)
    }

    /// `--server`, if given.
    pub fn server(&self) -> Option<&str> {
        self.matches.get_one::<String>("server").map(String::as_str)
    }

    /// `--base-url`, if given.
    pub fn base_url(&self) -> Option<&str> {
        self.matches
            .try_get_one::<String>("base-url")
            .ok()
            .flatten()
            .map(String::as_str)
    }

    /// `--all` (only paginated operations have it).
    pub fn all(&self) -> bool {
        self.matches
            .try_get_one::<bool>("all")
            .ok()
            .flatten()
            .copied()
            == Some(true)
    }

    /// The client's settings: `--timeout` and `--retries` over the defaults.
    pub fn config(&self) -> Config {
        let mut config = Config::default();
        if let Some(seconds) = self.timeout {
            config = config.timeout(Duration::from_secs(seconds));
        }
        if let Some(retries) = self.retries {
            config = config.retry(RetryPolicy::default().max_attempts(retries + 1));
        }
        #[cfg(feature = "redis")]
        if let Some(url) = &self.rate_limit_store {
            config = config.rate_limits(api_token_runtime::RateLimits::redis(url));
        }
        config
    }

    /// A variable's value, remembered as secret; `None` when unset or empty.
    fn env(&self, var: &str) -> Result<Option<String>, Failure> {
        match std::env::var(var) {
            Ok(value) if value.is_empty() => Ok(None),
            Ok(value) => {
                self.secrets.borrow_mut().push(value.clone());
                Ok(Some(value))
            }
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => {
                Err(Failure::usage(format!("{var} is not valid UTF-8")))
            }
        }
    }

    /// A token or key from `var`.
    pub fn env_secret(&self, var: &str) -> Result<Option<Secret>, Failure> {
        Ok(self.env(var)?.map(Secret::new))
    }

    /// HTTP Basic credentials from `var`: `user:password`, or a key alone (the user name,
    /// with an empty password, as `curl -u KEY:`).
    pub fn env_basic(&self, var: &str) -> Result<Option<BasicAuth>, Failure> {
        Ok(self.env(var)?.map(|value| match value.split_once(':') {
            Some((user, password)) => BasicAuth::new(user, password),
            None => BasicAuth::api_key(value),
        }))
    }

    /// A signing key pair from `id` and `key`, with the session token of temporary
    /// credentials from `token` when set.
    #[cfg(feature = "tc3")]
    pub fn env_signing(
        &self,
        id: &str,
        key: &str,
        token: &str,
    ) -> Result<Option<api_token_runtime::SigningKey>, Failure> {
        let (Some(id_value), Some(key_value)) = (self.env(id)?, self.env(key)?) else {
            return Ok(None);
        };
        let mut signing = api_token_runtime::SigningKey::new(id_value, key_value);
        if let Some(token) = self.env(token)? {
            signing = signing.with_session_token(token);
        }
        Ok(Some(signing))
    }

    /// A secret parameter from `var`, as its type.
    pub fn secret<T: DeserializeOwned>(&self, var: &str) -> Result<Option<T>, Failure> {
        self.env(var)?
            .map(|value| {
                serde_json::from_value(Value::String(value))
                    .map_err(|e| Failure::usage(format!("invalid value in {var}: {e}")))
            })
            .transpose()
    }

    /// A required secret parameter from `var`.
    pub fn required_secret<T: DeserializeOwned>(&self, var: &str) -> Result<T, Failure> {
        self.secret(var)?.ok_or_else(|| {
            Failure::usage(format!(
                "set {var}: this secret is read from the environment, never from a flag"
            ))
        })
    }

    /// The secret body fields set in the environment: `(wire name, variable)` pairs.
    pub fn secret_fields(
        &self,
        fields: &[(&'static str, &'static str)],
    ) -> Result<Vec<(&'static str, Value)>, Failure> {
        let mut found = Vec::new();
        for (wire, var) in fields {
            if let Some(value) = self.env(var)? {
                found.push((*wire, Value::String(value)));
            }
        }
        Ok(found)
    }

    /// Prints a call's result: the body on stdout; for a documented error status its body too,
    /// and the message on stderr (by the caller of the run).
    pub fn print<T: Serialize, E: Serialize + Display>(
        &self,
        result: Result<T, Error<E>>,
    ) -> Result<(), Failure> {
        match result {
            Ok(value) => self.write(|out, format| output::value(out, format, &json(&value)?)),
            Err(error) => {
                if let Error::Api { error: body, .. } = &error {
                    let body = json(body).unwrap_or(Value::Null);
                    self.write(|out, format| output::value(out, format, &body))?;
                }
                Err(error.into())
            }
        }
    }

    /// Prints every item of a paginated list (`--all`): as JSON, one line per item as its page
    /// arrives; as a table, once every page is in. The first error ends the walk (the items
    /// before it are printed).
    pub async fn print_stream<T: Serialize, E: Serialize + Display>(
        &self,
        items: impl Stream<Item = Result<T, Error<E>>>,
    ) -> Result<(), Failure> {
        let mut items = std::pin::pin!(items);
        let mut rows = Vec::new();
        while let Some(item) = items.next().await {
            let item = json(&item?).map_err(|e| Failure::new(Exit::Other, e.to_string()))?;
            match self.format {
                Format::Json => self.write(|out, format| output::items(out, format, vec![item]))?,
                Format::Table => rows.push(item),
            }
        }
        if self.format == Format::Table {
            self.write(|out, format| output::items(out, format, rows))?;
        }
        Ok(())
    }

    fn write(
        &self,
        print: impl FnOnce(&mut std::io::StdoutLock<'static>, Format) -> std::io::Result<()>,
    ) -> Result<(), Failure> {
        let mut out = std::io::stdout().lock();
        print(&mut out, self.format)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(|e| Failure::new(Exit::Other, format!("cannot write the output: {e}")))
    }

    /// Prints what a dry run would have sent, with every secret from the environment blanked.
    pub(crate) fn print_prepared(&self, mut request: PreparedRequest) -> Result<(), Failure> {
        let secrets = self.secrets.borrow();
        let blank = |text: &mut String| {
            for secret in secrets.iter() {
                for form in [
                    secret.clone(),
                    api_token_runtime::path_segment(secret),
                    url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
                ] {
                    if !form.is_empty() && text.contains(&form) {
                        *text = text.replace(&form, api_token_runtime::REDACTED);
                    }
                }
            }
        };
        blank(&mut request.url);
        for (_, value) in &mut request.headers {
            blank(value);
        }
        if let Some(body) = &mut request.body {
            blank(body);
        }
        self.write(|out, format| output::prepared(out, format, &request))
    }
}

fn json(value: &impl Serialize) -> std::io::Result<Value> {
    serde_json::to_value(value).map_err(std::io::Error::other)
}

/// The variable naming a vendor's rate-limit store: `tencent_vod` -> `TENCENT_VOD_RATE_LIMIT_STORE`.
pub(crate) fn store_var(vendor: &str) -> String {
    format!(
        "{}_RATE_LIMIT_STORE",
        vendor.to_ascii_uppercase().replace('-', "_")
    )
}

#[cfg(test)]
mod store_tests {
    use super::*;

    fn session(args: &[&str]) -> Session {
        let command = crate::tool::tool("t", "0", "about")
            .subcommand(clap::Command::new("tencent_vod").subcommand(clap::Command::new("op")));
        let matches = command.try_get_matches_from(args).unwrap();
        let (_, vendor) = matches.subcommand().unwrap();
        let (op, op_matches) = vendor.subcommand().unwrap();
        Session::new("tencent_vod", op, op_matches)
    }

    #[test]
    fn the_store_comes_from_the_flag() {
        let url = "rediss://app:pw@redis.example";
        let with = session(&["t", "--rate-limit-store", url, "tencent_vod", "op"]);
        assert_eq!(with.rate_limit_store.as_deref(), Some(url));
        assert_eq!(store_var("tencent-vod"), "TENCENT_VOD_RATE_LIMIT_STORE");
        #[cfg(feature = "redis")]
        {
            let shown = format!("{:?}", with.config());
            assert!(shown.contains("redis.example"), "{shown}");
            assert!(!shown.contains(":pw@"), "{shown}");
        }
    }
}

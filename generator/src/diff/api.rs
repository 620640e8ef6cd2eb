//! Module-wide changes: servers and security schemes.

use super::{Change, Rule};
use crate::ir::Api;

pub fn compare(old: &Api, new: &Api, out: &mut Vec<Change>) {
    for server in &old.servers {
        let subject = format!("`Server::{}`", server.variant);
        match new.servers.iter().find(|s| s.variant == server.variant) {
            None => out.push(Change::new(Rule::ServerRemoved, subject, "removed")),
            Some(now) if now.url != server.url => out.push(Change::new(
                Rule::ServerUrl,
                subject,
                format!("URL `{}` -> `{}`", server.url, now.url),
            )),
            Some(_) => {}
        }
    }
    for server in &new.servers {
        if !old.servers.iter().any(|s| s.variant == server.variant) {
            out.push(Change::new(
                Rule::ServerAdded,
                format!("`Server::{}`", server.variant),
                format!("added (`{}`)", server.url),
            ));
        }
    }
    for scheme in &old.auth {
        let subject = format!(
            "credential `{}` (`Credentials::with_{}`)",
            scheme.key, scheme.field
        );
        match new.auth.iter().find(|s| s.key == scheme.key) {
            Some(now) if now.field != scheme.field => out.push(Change::new(
                Rule::AuthRemoved,
                subject,
                format!("setter renamed to `with_{}`", now.field),
            )),
            Some(now) if now.kind != scheme.kind => out.push(Change::new(
                Rule::AuthChanged,
                subject,
                format!("sent as {:?}, was {:?}", now.kind, scheme.kind),
            )),
            Some(_) => {}
            None => out.push(Change::new(Rule::AuthRemoved, subject, "removed")),
        }
    }
    for scheme in &new.auth {
        if !old.auth.iter().any(|s| s.key == scheme.key) {
            out.push(Change::new(
                Rule::AuthAdded,
                format!("credential `{}`", scheme.key),
                format!("added (`Credentials::with_{}`)", scheme.field),
            ));
        }
    }
}

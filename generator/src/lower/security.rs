//! An operation's security requirements -> the schemes it may use.

use crate::lower::operation::OpLowering;

impl OpLowering<'_, '_> {
    /// The alternatives of schemes (indices into `Api::auth`), and whether the call may go
    /// without credentials (`security` lists `{}`, is empty, or is absent everywhere).
    pub fn security(&mut self) -> (Vec<usize>, bool) {
        let requirements = self.op.security.as_ref().or(self.doc.security.as_ref());
        let optional =
            requirements.is_none_or(|r| r.is_empty() || r.iter().any(|req| req.is_empty()));
        let Some(requirements) = requirements else {
            return (Vec::new(), optional);
        };
        let mut chosen = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let at = format!("{}/security/{i}", self.at);
            if requirement.len() > 1 {
                self.findings.unsupported(
                    &at,
                    "a security requirement combining several schemes is not supported",
                    "list the schemes as alternatives, one per requirement",
                );
            }
            for key in requirement.keys() {
                match self.defaults.schemes.iter().position(|s| s == key) {
                    Some(index) => chosen.push(index),
                    None => self.findings.error(
                        &at,
                        format!("unknown security scheme `{key}`"),
                        "define it under `components.securitySchemes`",
                    ),
                }
            }
        }
        (chosen, optional)
    }
}

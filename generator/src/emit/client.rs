//! `Server`, `Credentials` and `Client`: how a caller points the client at an API and signs in.

use super::doc;
use crate::ir::{Api, AuthKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The credential type a scheme takes.
pub(crate) fn credential_type(kind: &AuthKind) -> TokenStream {
    match kind {
        AuthKind::Basic => quote!(runtime::BasicAuth),
        AuthKind::Bearer | AuthKind::Header(_) | AuthKind::Query(_) => quote!(runtime::Secret),
        AuthKind::Signed { .. } => quote!(runtime::SigningKey),
    }
}

pub fn emit(api: &Api) -> TokenStream {
    let server = server_enum(api);

    let credential_fields = api.auth.iter().map(|a| {
        let field = &a.field;
        let ty = credential_type(&a.kind);
        let how = match &a.kind {
            AuthKind::Basic => "HTTP Basic".to_owned(),
            AuthKind::Bearer => "`Authorization: Bearer`".to_owned(),
            AuthKind::Header(name) => format!("the `{name}` header"),
            AuthKind::Query(name) => format!("the `{name}` query parameter"),
            AuthKind::Signed { service, .. } => {
                format!("a request signature (service `{service}`)")
            }
        };
        let docs = doc(&format!(
            "Scheme `{}`, sent as {how}.{}",
            a.key,
            a.doc
                .as_deref()
                .map(|d| format!("\n\n{d}"))
                .unwrap_or_default()
        ));
        quote! { #docs pub #field: Option<#ty>, }
    });
    let credential_setters = api.auth.iter().map(|a| {
        let field = &a.field;
        let setter = &a.setter;
        let ty = credential_type(&a.kind);
        let docs = doc(&format!("Sets the `{}` credential.", a.key));
        quote! {
            #docs
            pub fn #setter(mut self, credential: impl Into<#ty>) -> Self {
                self.#field = Some(credential.into());
                self
            }
        }
    });

    let relative = if api.relative_servers.is_empty() {
        String::new()
    } else {
        format!(
            "\n\nThe spec gives its server relative to where it is published ({}): include that \
             path in the base URL.",
            api.relative_servers
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let (client_doc, new) = match api.servers.first() {
        Some(first) => (
            doc(&format!(
                "Client for {}.\n\nOne method per operation of the spec. Build it with \
                 [`Client::new`] (`Server::{}`, say) or [`Client::with_config`] for any base URL \
                 and settings.{relative}",
                api.title, first.variant
            )),
            quote! {
                /// A client for one of the spec's servers, with default settings.
                pub fn new(server: Server, credentials: Credentials) -> Result<Self, runtime::RequestError> {
                    Self::with_config(server.url(), credentials, runtime::Config::default())
                }
            },
        ),
        None => (
            doc(&format!(
                "Client for {}.\n\nOne method per operation of the spec. The spec names no \
                 server: build it with [`Client::new`] from the base URL of the deployment you \
                 call, or [`Client::with_config`] to choose settings too.{relative}",
                api.title
            )),
            quote! {
                /// A client for the API at `base_url`, with default settings.
                pub fn new(base_url: &str, credentials: Credentials) -> Result<Self, runtime::RequestError> {
                    Self::with_config(base_url, credentials, runtime::Config::default())
                }
            },
        ),
    };
    // A spec without security schemes keeps the same constructors; there is just nothing to
    // hold on to.
    let (credentials_field, credentials_init, credentials_arg) = if api.auth.is_empty() {
        (TokenStream::new(), TokenStream::new(), quote!(_credentials))
    } else {
        (
            quote!(credentials: Credentials,),
            quote!(credentials,),
            quote!(credentials),
        )
    };
    quote! {
        #server

        /// Credentials, one per security scheme of the spec; operations use the ones they need.
        /// `Debug` never shows the secrets.
        #[derive(Debug, Clone, Default)]
        pub struct Credentials {
            #(#credential_fields)*
        }

        impl Credentials {
            #(#credential_setters)*
        }

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: runtime::Runtime,
            #credentials_field
        }

        impl Client {
            #new

            /// A client for any base URL (a proxy, a mock server), with explicit settings.
            pub fn with_config(base_url: &str, #credentials_arg: Credentials, config: runtime::Config) -> Result<Self, runtime::RequestError> {
                Ok(Self {
                    runtime: runtime::Runtime::new(base_url, config)?,
                    #credentials_init
                })
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }

            /// A client for some calls with settings replaced (timeout, deadline, retries);
            /// it shares this one's connection pool and rate limiter.
            pub fn with_options(&self, options: runtime::CallOptions) -> Self {
                let mut client = self.clone();
                client.runtime = self.runtime.with_options(&options);
                client
            }
        }
    }
}

/// `Server`: the spec's absolute server URLs (nothing when it names none).
fn server_enum(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return TokenStream::new();
    }
    let variants = api.servers.iter().map(|s| {
        let variant = &s.variant;
        let docs = doc(&format!(
            "{}\n\n`{}`",
            s.doc.as_deref().unwrap_or(&s.variant.name),
            s.url
        ));
        quote! { #docs #variant, }
    });
    let urls = api.servers.iter().map(|s| {
        let variant = &s.variant;
        let url = &s.url;
        quote!(Self::#variant => #url,)
    });
    quote! {
        /// The servers the spec names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Server {
            #(#variants)*
        }

        impl Server {
            /// The base URL (server variables at their defaults).
            pub fn url(self) -> &'static str {
                match self {
                    #(#urls)*
                }
            }
        }
    }
}

/// `Credentials` docs for one scheme (used by operation docs).
pub(crate) fn scheme_doc(api: &Api, index: usize) -> String {
    api.auth
        .get(index)
        .map_or_else(String::new, |a| format!("`{}`", a.key))
}

//! `Server`, `Credentials` and `Client`: how a caller points the client at an API and signs in.

use super::text;
use super::{client_text, doc, type_tokens, Scope};
use crate::ir::{Api, AuthKind, ParamLocation, Piece, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The credential type a scheme takes.
pub(crate) fn credential_type(kind: &AuthKind) -> TokenStream {
    // Decided once, in the text form (`runtime::BasicAuth`, ...).
    let text = client_text::credential_type(kind);
    let name = super::fixed(text.strip_prefix("runtime::").unwrap_or(text));
    quote!(runtime::#name)
}

pub fn emit(api: &Api) -> TokenStream {
    let server = server_enum(api);

    let field_docs: Vec<String> = api
        .auth
        .iter()
        .map(|a| {
            let how = match &a.kind {
                AuthKind::Basic => "HTTP Basic".to_owned(),
                AuthKind::Bearer => "`Authorization: Bearer`".to_owned(),
                AuthKind::Header(name) => format!("the `{name}` header"),
                AuthKind::Query(name) => format!("the `{name}` query parameter"),
                AuthKind::Signed { service, .. } => {
                    format!("a request signature (service `{service}`)")
                }
            };
            format!(
                "Scheme `{}`, sent as {how}.{}",
                a.key,
                a.doc
                    .as_deref()
                    .map(|d| format!("\n\n{d}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let credentials = text::item(
        PLACE,
        client_text::credentials_struct(api, &field_docs),
        || {
            let fields = api.auth.iter().zip(&field_docs).map(|(a, docs)| {
                let field = &a.field;
                let ty = credential_type(&a.kind);
                let docs = doc(docs);
                quote! { #docs pub #field: Option<#ty>, }
            });
            quote! {
                /// Credentials, one per security scheme of the spec; operations use the ones they need.
                /// `Debug` never shows the secrets.
                #[derive(Debug, Clone, Default)]
                pub struct Credentials {
                    #(#fields)*
                }
            }
        },
    );
    let credentials_impl = text::item(PLACE, client_text::credentials_impl(api), || {
        let setters = api.auth.iter().map(|a| {
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
        quote! {
            impl Credentials {
                #(#setters)*
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
    let example_server = match api.servers.first() {
        Some(first) => match &first.constructor {
            Some(constructor) => format!("`Server::{constructor}()`"),
            None => format!("`Server::{}`", first.variant),
        },
        None => "`\"https://api.example.com\"`".to_owned(),
    };
    let client_doc = format!(
        "Client for {}.\n\nOne method per operation of the spec. Build it with [`Client::new`] \
         from a [`Server`] ({example_server}, say, or any base URL as a string), the \
         credentials, and the settings (`runtime::Config::default()`).{relative}",
        api.title
    );
    let credentials_from = text::items(PLACE, client_text::credentials_from(api), || {
        credentials_from(api)
    });
    let setter_docs: Vec<String> = api
        .settings
        .iter()
        .map(|s| {
            let where_ = match s.param.location {
                ParamLocation::Header => "header",
                _ => "query parameter",
            };
            format!(
                "Sets `{}` ({where_}) once for every call that takes it (client setting `{}`).{}",
                s.param.wire,
                s.key,
                s.param
                    .doc
                    .as_deref()
                    .map(|d| format!("\n\n{d}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    // A client whose calls all go without credentials (every remaining operation says
    // `security: []`) still takes them, for one signature across specs, but keeps no field
    // it would never read (dead code).
    let parts = client_text::ClientParts {
        keeps_credentials: api.operations.iter().any(|op| !op.security.is_empty()),
        doc: &client_doc,
        setter_docs: &setter_docs,
    };
    let client = text::item(PLACE, client_text::client_struct(api, &parts), || {
        client_struct(api, &parts)
    });
    let client_impl = text::item(PLACE, client_text::client_impl(api, &parts), || {
        client_impl(api, &parts)
    });
    quote! {
        #server
        #credentials
        #credentials_impl
        #credentials_from
        #client
        #client_impl
    }
}

/// Where the client's items go: the module's top level.
const PLACE: text::Place = client_text::PLACE;

/// `pub struct Client` through tokens.
fn client_struct(api: &Api, parts: &client_text::ClientParts<'_>) -> TokenStream {
    let client_doc = doc(parts.doc);
    let credentials_field = parts
        .keeps_credentials
        .then(|| quote!(credentials: Credentials,));
    let setting_fields = api.settings.iter().map(|s| {
        let field = &s.field;
        let ty = type_tokens(&s.param.ty, Scope::Root);
        quote!(#field: Option<#ty>,)
    });
    quote! {
        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: runtime::Runtime,
            #credentials_field
            #(#setting_fields)*
        }
    }
}

/// `impl Client` (`new`, setters, `base_url`, `with_options`) through tokens.
fn client_impl(api: &Api, parts: &client_text::ClientParts<'_>) -> TokenStream {
    let (credentials_init, credentials_value) = if parts.keeps_credentials {
        (TokenStream::new(), quote!(credentials: credentials.into(),))
    } else {
        (
            quote!(let _: Credentials = credentials.into();),
            TokenStream::new(),
        )
    };
    let setting_inits = api.settings.iter().map(|s| {
        let field = &s.field;
        quote!(#field: None,)
    });
    let setters = api.settings.iter().zip(parts.setter_docs).map(|(s, docs)| {
        let field = &s.field;
        let setter = &s.setter;
        let ty = type_tokens(&s.param.ty, Scope::Root);
        let docs = doc(docs);
        quote! {
            #docs
            pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                self.#field = Some(value.into());
                self
            }
        }
    });
    quote! {
        impl Client {
            /// A client for `server` (a [`Server`], or any base URL as a string: a proxy, a mock
            /// server), with these credentials and settings.
            pub fn new(server: impl Into<Server>, credentials: impl Into<Credentials>, config: runtime::Config) -> Result<Self, runtime::RequestError> {
                #credentials_init
                Ok(Self {
                    runtime: runtime::Runtime::new(&server.into().url(), config)?,
                    #credentials_value
                    #(#setting_inits)*
                })
            }

            #(#setters)*

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

/// With exactly one scheme, its credential converts into `Credentials`, so `Client::new` takes
/// it directly (a string, for a token or key sent as is).
fn credentials_from(api: &Api) -> TokenStream {
    let [scheme] = api.auth.as_slice() else {
        if api.auth.is_empty() {
            return quote! {
                impl From<()> for Credentials {
                    fn from((): ()) -> Self {
                        Self {}
                    }
                }
            };
        }
        return TokenStream::new();
    };
    let field = &scheme.field;
    let ty = credential_type(&scheme.kind);
    let strings = matches!(
        scheme.kind,
        AuthKind::Bearer | AuthKind::Header(_) | AuthKind::Query(_)
    )
    .then(|| {
        quote! {
            impl From<&str> for Credentials {
                fn from(credential: &str) -> Self {
                    Self { #field: Some(credential.into()) }
                }
            }

            impl From<String> for Credentials {
                fn from(credential: String) -> Self {
                    Self { #field: Some(credential.into()) }
                }
            }
        }
    });
    quote! {
        impl From<#ty> for Credentials {
            fn from(credential: #ty) -> Self {
                Self { #field: Some(credential) }
            }
        }

        #strings
    }
}

/// `Server`: the spec's absolute server URLs, each variable a field of its variant; and
/// `BaseUrl`, any base URL (what a string converts into).
fn server_enum(api: &Api) -> TokenStream {
    let variant_docs: Vec<String> = api
        .servers
        .iter()
        .map(|s| {
            format!(
                "{}\n\n`{}`",
                s.doc.as_deref().unwrap_or(&s.variant.name),
                s.template
            )
        })
        .collect();
    let field_docs: Vec<Vec<String>> = api
        .servers
        .iter()
        .map(|s| {
            s.variables
                .iter()
                .map(|v| {
                    format!(
                        "`{{{}}}`{} Default: `{}`.",
                        v.wire,
                        v.doc
                            .as_deref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_else(|| ".".to_owned()),
                        v.default
                    )
                })
                .collect()
        })
        .collect();
    let constructor_docs: Vec<String> = api
        .servers
        .iter()
        .filter(|s| s.constructor.is_some())
        .map(|s| {
            format!(
                "[`Server::{}`] with its variables at their defaults (`{}`).",
                s.variant, s.url
            )
        })
        .collect();
    let doc_text = if api.servers.is_empty() {
        "Where the client sends its calls. The spec names no server: give the base URL of the \
         deployment you call (a string converts into [`Server::BaseUrl`])."
    } else {
        "Where the client sends its calls: one of the spec's servers (their URL variables as \
         fields), or any base URL (a string converts into [`Server::BaseUrl`])."
    };
    let declaration = text::item(
        PLACE,
        client_text::server_enum(api, doc_text, &variant_docs, &field_docs),
        || {
            let variants = api.servers.iter().zip(&variant_docs).zip(&field_docs).map(
                |((s, docs), field_docs)| {
                    let variant = &s.variant;
                    let docs = doc(docs);
                    if s.variables.is_empty() {
                        return quote! { #docs #variant, };
                    }
                    let fields = s.variables.iter().zip(field_docs).map(|(v, docs)| {
                        let field = &v.field;
                        let ty = type_tokens(&v.ty, Scope::Root);
                        let docs = doc(docs);
                        quote! { #docs #field: #ty, }
                    });
                    quote! { #docs #variant { #(#fields)* }, }
                },
            );
            let doc_text = doc(doc_text);
            quote! {
                #doc_text
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum Server {
                    #(#variants)*
                    /// Any base URL: a proxy, a mock server, another deployment.
                    BaseUrl(String),
                }
            }
        },
    );
    let methods = text::item(
        PLACE,
        client_text::server_impl(api, &constructor_docs),
        || server_impl(api, &constructor_docs),
    );
    let from = text::items(PLACE, Some(client_text::server_from().to_vec()), || {
        quote! {
            impl From<&str> for Server {
                fn from(url: &str) -> Self {
                    Self::BaseUrl(url.to_owned())
                }
            }

            impl From<String> for Server {
                fn from(url: String) -> Self {
                    Self::BaseUrl(url)
                }
            }

            impl From<&String> for Server {
                fn from(url: &String) -> Self {
                    Self::BaseUrl(url.clone())
                }
            }
        }
    });
    quote! {
        #declaration
        #methods
        #from
    }
}

/// `impl Server` (constructors, `url`) through tokens.
fn server_impl(api: &Api, constructor_docs: &[String]) -> TokenStream {
    let urls = api.servers.iter().map(|s| {
        let variant = &s.variant;
        if s.variables.is_empty() {
            let url = &s.url;
            return quote!(Self::#variant => #url.to_owned(),);
        }
        let mut format = String::new();
        let mut args = Vec::new();
        for piece in &s.template.pieces {
            match piece {
                Piece::Literal(text) => format.push_str(&super::format_escaped(text)),
                Piece::Variable(wire) => {
                    if let Some(v) = s.variables.iter().find(|v| v.wire == *wire) {
                        let field = &v.field;
                        format.push_str("{}");
                        args.push(quote!(#field));
                    }
                }
            }
        }
        let fields = s.variables.iter().map(|v| &v.field);
        quote!(Self::#variant { #(#fields),* } => format!(#format, #(#args),*),)
    });
    let constructors = api
        .servers
        .iter()
        .filter(|s| s.constructor.is_some())
        .zip(constructor_docs)
        .filter_map(|(s, docs)| {
            let constructor = s.constructor.as_ref()?;
            let variant = &s.variant;
            let fields = s.variables.iter().map(|v| {
                let field = &v.field;
                let default = &v.default;
                match &v.ty {
                    TypeRef::String => quote!(#field: #default.to_owned(),),
                    _ => {
                        let ty = type_tokens(&v.ty, Scope::Root);
                        quote!(#field: #ty::from(#default),)
                    }
                }
            });
            let docs = doc(docs);
            Some(quote! {
                #docs
                pub fn #constructor() -> Self {
                    Self::#variant { #(#fields)* }
                }
            })
        });
    quote! {
        impl Server {
            #(#constructors)*

            /// The base URL.
            pub fn url(&self) -> String {
                match self {
                    #(#urls)*
                    Self::BaseUrl(url) => url.clone(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::naming::CLIENT_METHODS;

    /// Every method the generated `Client` has besides the operations' is a name the naming
    /// pass reserves, so no operation can take it. Adding a method to the emitted `Client`
    /// without reserving it fails here.
    #[test]
    fn client_methods_are_reserved() {
        let spec = crate::SpecFile {
            path: "specs/t.yaml".into(),
            text: "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.io'}]\n\
                   paths:\n  /a:\n    get:\n      operationId: new\n      responses: {'204': {description: ok}}\n"
                .into(),
        };
        let api = crate::lower_spec(&spec).expect("lowers");
        let file: syn::File = syn::parse2(crate::emit::module_head(
            &api,
            crate::emit::DocTests::default(),
            "",
        ))
        .expect("parses");
        let operations: Vec<String> = api.operations.iter().map(|o| o.name.to_string()).collect();
        let mut own = Vec::new();
        for item in &file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let syn::Type::Path(ty) = block.self_ty.as_ref() else {
                continue;
            };
            if !ty.path.is_ident("Client") {
                continue;
            }
            for inner in &block.items {
                if let syn::ImplItem::Fn(f) = inner {
                    let name = f.sig.ident.to_string();
                    if !operations.contains(&name) {
                        own.push(name);
                    }
                }
            }
        }
        assert!(!own.is_empty());
        for name in own {
            assert!(
                CLIENT_METHODS.contains(&name.as_str()),
                "`Client::{name}` is emitted but not reserved in naming::CLIENT_METHODS"
            );
        }
        assert_eq!(operations, ["new2"]);
    }
}

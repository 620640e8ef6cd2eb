//! The classification rules: one per kind of change, each with its class and its reason.
//!
//! The generated crate's models and `Params` structs are `#[non_exhaustive]` and built with
//! `new` (taking the fields that are not `Option`) and `with_` setters (one per `Option` field),
//! so by Cargo's SemVer rules adding an optional field is compatible and adding a required one
//! is breaking (`new` gains an argument). Its enums (string and integer enums, unions, each
//! operation's error and success enums) and `Server` are `#[non_exhaustive]` too, so a `match`
//! over them already has a `_` arm and a new variant is compatible. (`Credentials` is an
//! exhaustive struct with public fields.)

use serde::Serialize;

/// Breaking or compatible, for the Rust API of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Some caller's code stops compiling, or keeps compiling with a changed meaning.
    Breaking,
    /// Every caller's code compiles and means what it meant.
    Compatible,
}

macro_rules! rules {
    ($($rule:ident: $class:ident, $adds:literal, $why:literal;)*) => {
        /// A kind of change. Its class and reason are fixed: see [`Rule::class`], [`Rule::why`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum Rule { $(#[doc = $why] $rule,)* }

        impl Rule {
            /// Every rule, in the order of the README's table.
            pub const ALL: &'static [Rule] = &[$(Rule::$rule,)*];

            /// Its class.
            pub fn class(self) -> Class {
                match self { $(Rule::$rule => Class::$class,)* }
            }

            /// Why it has that class.
            pub fn why(self) -> &'static str {
                match self { $(Rule::$rule => $why,)* }
            }

            /// It adds API (a minor bump for crates at 1.0 and later, rather than a patch).
            pub fn adds_api(self) -> bool {
                match self { $(Rule::$rule => $adds,)* }
            }
        }
    };
}

rules! {
    ModuleAdded: Compatible, true, "a new module; nothing existing changes";
    ModuleRemoved: Breaking, false, "every `use` of the module stops compiling";
    OperationAdded: Compatible, true, "a new method on `Client` and new types; nothing existing changes";
    OperationRemoved: Breaking, false, "calls of the method stop compiling";
    OperationRenamed: Breaking, false, "same method and path, new `operationId`: the method and its `Params`/`Error` types get new names";
    ParamAdded: Compatible, true, "an optional query, header or cookie parameter: the `#[non_exhaustive]` `Params` struct gains a field and its `with_` setter; `new`, `Default` and the other setters are unchanged";
    RequiredParamAdded: Breaking, false, "a required parameter: `Params::new` gains an argument, or the method gains a path argument";
    ParamsAdded: Breaking, false, "the operation had no query, header or cookie parameter: the method gains a `params` argument";
    ParamRemoved: Breaking, false, "the field or argument disappears; code setting it stops compiling";
    ParamRenamed: Breaking, false, "the field or argument gets a new name";
    ParamRequirement: Breaking, false, "required is `T` (an argument of `new`), optional is `Option<T>` (a setter): the field's type and `new` change";
    ParamType: Breaking, false, "the field's or argument's Rust type changes";
    BodyAdded: Breaking, false, "the method gains a `body` argument";
    BodyRemoved: Breaking, false, "the method loses its `body` argument";
    BodyChanged: Breaking, false, "the `body` argument's type changes (another type, or `Option` added or removed)";
    ReturnType: Breaking, false, "the method's `Ok` type changes; callers using `?` may still compile and then misuse the value";
    SuccessStatus: Compatible, false, "a success status added or removed with the same return type: the method's signature is unchanged";
    SuccessAdded: Compatible, true, "the operation's success enum (its return type when successes carry different types) is `#[non_exhaustive]` and gains a variant: a `match` already has a `_` arm";
    ErrorAdded: Compatible, true, "error enums are `#[non_exhaustive]`, so a `match` already has a `_` arm; the status, an unexpected-status error before, now decodes into its variant";
    ErrorRemoved: Breaking, false, "the error enum loses a variant: code naming it stops compiling";
    ErrorBody: Breaking, false, "the error variant carries another type";
    DefaultGained: Compatible, true, "every parameter is now optional, so `Params` derives `Default` and `new` takes nothing";
    DefaultLost: Breaking, false, "a required parameter means `Params` no longer derives `Default`: `Params::default()` stops compiling";
    TypeAdded: Compatible, true, "a new type in `types`; nothing existing changes";
    TypeRemoved: Breaking, false, "code naming the type stops compiling";
    TypeRenamed: Breaking, false, "same shape, new name: code naming the type stops compiling";
    TypeShape: Breaking, false, "the type changes kind (struct, enum, union, alias)";
    FieldAdded: Compatible, true, "an optional (or nullable) field, or the one for unnamed properties: models are `#[non_exhaustive]` and built with `new` and setters, which are unchanged; the field gets a `with_` setter";
    RequiredFieldAdded: Breaking, false, "a required field: the model's `new` gains an argument (and the model loses `Default` if it had it)";
    FieldRemoved: Breaking, false, "code reading or setting the field stops compiling";
    FieldRenamed: Breaking, false, "the field gets a new Rust name";
    FieldRequirement: Breaking, false, "required or optional changes the field between `T` (an argument of `new`) and `Option<T>` (a setter)";
    FieldType: Breaking, false, "the field's Rust type changes (type, format or nullability)";
    ConstructorOrder: Breaking, false, "`new` takes the same required fields in another order (the spec's): a call stops compiling, or swaps two arguments of one type";
    FieldPresence: Compatible, false, "required or optional changed but the field's Rust type did not (it is nullable): only whether it is sent when empty";
    EnumValueAdded: Compatible, true, "enums are `#[non_exhaustive]`, so a `match` already has a `_` arm; the value, kept in the catch-all variant before, now has its own";
    EnumValueRemoved: Breaking, false, "code sending or matching the value stops compiling";
    UnionVariantAdded: Compatible, true, "unions are `#[non_exhaustive]`, so a `match` already has a `_` arm";
    UnionVariantRemoved: Breaking, false, "the union enum loses a variant";
    ServerAdded: Compatible, true, "`Server` is `#[non_exhaustive]` (and has `BaseUrl`): a `match` over it already has a `_` arm";
    ServerRemoved: Breaking, false, "code naming the `Server` variant stops compiling";
    ServerUrl: Compatible, false, "same `Server` variant, another URL: code compiles, requests go elsewhere";
    AuthAdded: Breaking, false, "`Credentials` gains a public field: struct literals without `..Default::default()` stop compiling (`Credentials::default().with_..` keeps working); from one scheme to two, the credential no longer converts into `Credentials`";
    AuthRemoved: Breaking, false, "the `Credentials` setter disappears";
    AuthChanged: Compatible, false, "how a credential is sent changes (header name, signing); the Rust API is the same";
    Security: Breaking, false, "compiles, but the operation now needs a credential it did not accept before: calls fail at run time";
    SecurityRelaxed: Compatible, false, "the operation accepts every credential it accepted before, and more";
    Envelope: Breaking, false, "compiles, but another part of the body is decoded or another body counts as a failure: the meaning of `Ok` changes";
    PaginationAdded: Compatible, true, "new `<method>_stream`, `<method>_pages` and `<method>_all` methods";
    PaginationRemoved: Breaking, false, "the `<method>_stream`, `<method>_pages` and `<method>_all` methods disappear";
    PaginationChanged: Compatible, false, "the stream methods walk pages differently; their signatures are the same";
    RateLimit: Compatible, false, "client-side spacing changes; no signature changes";
    Retries: Compatible, false, "whether the call is retried changes (`x-idempotent` or method); no signature changes";
    Route: Compatible, false, "the path, method or fixed headers on the wire change; the Rust API is the same";
    Deprecation: Compatible, false, "`#[deprecated]` added or removed: a warning, not an error";
    Unverified: Compatible, false, "the `x-unverified` note changes: documentation only";
}

//! One small spec change per kind of change the diff knows, shared by the git-history test
//! (does the report class it as its rule says?) and the compile check (does a caller written
//! against the old generated code still compile against the new?).
//!
//! Every case edits `base.yaml` by exact text replacement; `rules` lists every rule the report
//! must give for it, the case's own first; `caller` is Rust written against the old module
//! (`use super::api::*` is in scope).

#![allow(dead_code)]

pub const BASE: &str = include_str!("base.yaml");

/// Whether the spec exists before and after.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Both,
    OnlyNew,
    OnlyOld,
}

pub struct Case {
    pub name: &'static str,
    pub presence: Presence,
    pub edits: &'static [(&'static str, &'static str)],
    pub rules: &'static [&'static str],
    pub caller: &'static str,
}

impl Case {
    /// The spec before (`None` when absent).
    pub fn before(&self) -> Option<String> {
        (self.presence != Presence::OnlyNew).then(|| BASE.to_owned())
    }

    /// The spec after; every edit must apply exactly once.
    pub fn after(&self) -> Option<String> {
        if self.presence == Presence::OnlyOld {
            return None;
        }
        let mut text = BASE.to_owned();
        for (from, to) in self.edits {
            assert_eq!(
                text.matches(from).count(),
                1,
                "case {}: edit {from:?} must match once",
                self.name
            );
            text = text.replacen(from, to, 1);
        }
        Some(text)
    }
}

const fn case(
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    rules: &'static [&'static str],
    caller: &'static str,
) -> Case {
    Case {
        name,
        presence: Presence::Both,
        edits,
        rules,
        caller,
    }
}

const LIST_PAGE_PARAM: &str = "        - name: page\n          in: query\n          schema:\n            type: integer\n            format: int32\n      responses:\n        \"200\":\n          description: A page of tokens.\n";
const PAGE_SIZE: &str = "        - name: pageSize\n          in: query\n          schema:\n            type: integer\n            format: int32\n";
const CREATE_BODY: &str = "      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: \"#/components/schemas/Payload\"\n";
const NOT_FOUND: &str = "        \"404\":\n          description: Nothing there.\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/Problem\"\n";
const GROUPS: &str = "  /groups:\n    get:\n      operationId: listGroups\n      summary: List groups.\n      parameters:\n        - name: page\n          in: query\n          schema:\n            type: integer\n            format: int32\n      responses:\n        \"200\":\n          description: A page of groups.\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/Tokens\"\n";

const CALL_DELETE: &str = "pub async fn f(c: &Client) { let _ = c.delete_token(\"x\").await; }";
const CALL_CREATE: &str = "pub async fn f(c: &Client, p: &types::CreateTokenParams, b: &types::Payload) { let _ = c.create_token(p, b).await; }";
const CALL_LIST: &str =
    "pub async fn f(c: &Client) { let _ = c.list_tokens(&types::ListTokensParams::default()).await; }";
const BUILD_TOKEN: &str = "pub fn f() -> types::Token { types::Token::new(\"t\").with_ttl(1) }";
const READ_TTL: &str = "pub fn f(t: &types::Token) -> Option<i32> { t.ttl }";
const PARAMS_WITH_PAGE_SIZE: &str = "pub fn f() -> types::ListTokensParams { types::ListTokensParams::default().with_page_size(1) }";

pub const CASES: &[Case] = &[
    Case { name: "module_added", presence: Presence::OnlyNew, edits: &[], rules: &["ModuleAdded"], caller: "" },
    Case { name: "module_removed", presence: Presence::OnlyOld, edits: &[], rules: &["ModuleRemoved"], caller: "pub fn f(c: &Client) -> &str { c.base_url() }" },
    case("operation_added",
        &[("  /tokens/{id}:\n", "  /status:\n    get:\n      operationId: getStatus\n      summary: Status.\n      responses:\n        \"204\":\n          description: Up.\n  /tokens/{id}:\n")],
        &["OperationAdded"], CALL_DELETE),
    case("operation_removed", &[(GROUPS, "")], &["OperationRemoved"],
        "pub async fn f(c: &Client) { let _ = c.list_groups(&types::ListGroupsParams::new()).await; }"),
    case("operation_renamed", &[("operationId: deleteToken", "operationId: removeToken")], &["OperationRenamed"], CALL_DELETE),
    case("param_added",
        &[(LIST_PAGE_PARAM, "        - name: label\n          in: query\n          schema:\n            type: string\n        - name: page\n          in: query\n          schema:\n            type: integer\n            format: int32\n      responses:\n        \"200\":\n          description: A page of tokens.\n")],
        &["ParamAdded"],
        "pub fn f() -> types::ListTokensParams { types::ListTokensParams::new().with_page(1) }"),
    case("required_param_added",
        &[(LIST_PAGE_PARAM, "        - name: label\n          in: query\n          required: true\n          schema:\n            type: string\n        - name: page\n          in: query\n          schema:\n            type: integer\n            format: int32\n      responses:\n        \"200\":\n          description: A page of tokens.\n")],
        &["DefaultLost", "RequiredParamAdded"], PARAMS_WITH_PAGE_SIZE),
    case("required_header_added",
        &[("        - name: X-Request-Id\n", "        - name: scope\n          in: query\n          required: true\n          schema:\n            type: string\n        - name: X-Request-Id\n")],
        &["RequiredParamAdded"], "pub fn f() -> types::CreateTokenParams { types::CreateTokenParams::new(\"id\") }"),
    case("params_added",
        &[("            type: string\n      responses:\n        \"204\":", "            type: string\n        - name: force\n          in: query\n          schema:\n            type: boolean\n      responses:\n        \"204\":")],
        &["ParamsAdded"], CALL_DELETE),
    case("param_removed", &[(PAGE_SIZE, "")], &["ParamRemoved"], PARAMS_WITH_PAGE_SIZE),
    case("param_renamed", &[("- name: pageSize", "- name: limit")], &["ParamRenamed"], PARAMS_WITH_PAGE_SIZE),
    case("param_requirement",
        &[("        - name: pageSize\n          in: query\n", "        - name: pageSize\n          in: query\n          required: true\n")],
        &["ParamRequirement", "DefaultLost"], "pub fn f(p: &types::ListTokensParams) -> Option<i32> { p.page_size }"),
    case("param_type", &[(PAGE_SIZE, "        - name: pageSize\n          in: query\n          schema:\n            type: integer\n            format: int64\n")],
        &["ParamType"], "pub fn f(p: &types::ListTokensParams) -> Option<i32> { p.page_size }"),
    case("default_gained",
        &[("          required: true\n          schema:\n            type: string\n      requestBody:", "          required: false\n          schema:\n            type: string\n      requestBody:")],
        &["DefaultGained", "ParamRequirement"], CALL_CREATE),
    case("body_added",
        &[("            type: string\n      responses:\n        \"204\":", "            type: string\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: \"#/components/schemas/Payload\"\n      responses:\n        \"204\":")],
        &["BodyAdded"], CALL_DELETE),
    case("body_removed", &[(CREATE_BODY, "")], &["BodyRemoved"], CALL_CREATE),
    case("body_changed", &[("      requestBody:\n        required: true", "      requestBody:\n        required: false")], &["BodyChanged"], CALL_CREATE),
    case("return_type",
        &[("        \"204\":\n          description: Deleted.\n", "        \"200\":\n          description: Deleted.\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/Token\"\n")],
        &["ReturnType"], "pub async fn f(c: &Client) { let (): () = c.delete_token(\"x\").await.unwrap(); }"),
    case("success_status", &[("        \"201\":\n          description: Created.", "        \"200\":\n          description: Created.")],
        &["SuccessStatus"],
        "pub async fn f(c: &Client, p: &types::CreateTokenParams, b: &types::Payload) -> types::Token { c.create_token(p, b).await.unwrap() }"),
    case("success_added", &[("        \"202\":\n", "        \"203\":\n          description: Partial.\n        \"202\":\n")], &["SuccessAdded"],
        "pub fn f(s: types::GetPairSuccess) -> u8 { match s { types::GetPairSuccess::Ok(_) => 1, _ => 0 } }"),
    case("error_added",
        &[(NOT_FOUND, "        \"404\":\n          description: Nothing there.\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/Problem\"\n        \"429\":\n          description: Slow down.\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/Problem\"\n")],
        &["ErrorAdded"], "pub fn f(e: types::ListTokensError) -> u8 { match e { types::ListTokensError::NotFound(_) => 1, _ => 0 } }"),
    case("error_removed", &[(NOT_FOUND, "")], &["ErrorRemoved"],
        "pub fn f() -> types::ListTokensError { types::ListTokensError::NotFound(types::Problem::new()) }"),
    case("error_body", &[("                $ref: \"#/components/schemas/Problem\"", "                $ref: \"#/components/schemas/User\"")],
        &["ErrorBody"], "pub fn f(e: types::ListTokensError) -> Option<String> { match e { types::ListTokensError::NotFound(p) => p.title, _ => None } }"),
    case("type_added", &[("    Problem:\n", "    Extra:\n      type: object\n      properties:\n        note:\n          type: string\n    Problem:\n")],
        &["TypeAdded"], BUILD_TOKEN),
    case("type_removed",
        &[("        - $ref: \"#/components/schemas/Team\"\n", ""), ("    Team:\n      type: object\n      properties:\n        members:\n          type: integer\n          format: int32\n", "")],
        &["TypeRemoved", "UnionVariantRemoved"], "pub fn f() -> types::Team { types::Team::new().with_members(1) }"),
    case("type_renamed",
        &[("    Problem:\n", "    Fault:\n"), ("$ref: \"#/components/schemas/Problem\"", "$ref: \"#/components/schemas/Fault\"")],
        &["TypeRenamed"], "pub fn f() -> types::Problem { types::Problem::new().with_title(\"t\") }"),
    case("type_shape",
        &[("    Problem:\n      type: object\n      properties:\n        title:\n          type: string\n", "    Problem:\n      type: array\n      items:\n        type: string\n")],
        &["TypeShape"], "pub fn f() -> types::Problem { types::Problem::new().with_title(\"t\") }"),
    case("field_added", &[("          $ref: \"#/components/schemas/Owner\"\n", "          $ref: \"#/components/schemas/Owner\"\n        note:\n          type: string\n")],
        &["FieldAdded"], BUILD_TOKEN),
    case("required_field_added",
        &[("    Payload:\n      type: object\n", "    Payload:\n      type: object\n      required: [note]\n"), ("        label:\n          type: string\n", "        label:\n          type: string\n        note:\n          type: string\n")],
        &["RequiredFieldAdded"], "pub fn f() -> types::Payload { types::Payload::new().with_label(\"l\") }"),
    case("constructor_order",
        &[("        a:\n          type: string\n        b:\n          type: integer\n          format: int32\n", "        b:\n          type: integer\n          format: int32\n        a:\n          type: string\n")],
        &["ConstructorOrder"], "pub fn f() -> types::Pair { types::Pair::new(\"a\", 1) }"),
    case("field_removed", &[("        ttl:\n          type: integer\n          format: int32\n        expiresAt:", "        expiresAt:")], &["FieldRemoved"], READ_TTL),
    case("field_renamed", &[("        ttl:\n          type: integer\n          format: int32\n        expiresAt:", "        lifetime:\n          type: integer\n          format: int32\n        expiresAt:")],
        &["FieldRenamed"], READ_TTL),
    case("field_requirement", &[("    Payload:\n      type: object\n", "    Payload:\n      type: object\n      required: [ttl]\n")],
        &["FieldRequirement"], "pub fn f() -> types::Payload { types::Payload::new().with_ttl(1) }"),
    case("field_type", &[("        ttl:\n          type: integer\n          format: int32\n        expiresAt:", "        ttl:\n          type: integer\n          format: int64\n        expiresAt:")],
        &["FieldType"], READ_TTL),
    case("field_nullable", &[("        token:\n          type: string\n", "        token:\n          type: string\n          nullable: true\n")],
        &["FieldType"], "pub fn f(t: &types::Token) -> String { t.token.clone() }"),
    case("field_presence", &[("      required: [token]\n", "      required: [token, expiresAt]\n")], &["FieldPresence"], BUILD_TOKEN),
    case("enum_value_added", &[("enum: [asc, desc]", "enum: [asc, desc, random]")], &["EnumValueAdded"],
        "pub fn f(o: &types::Order) -> u8 { match o { types::Order::Asc => 1, types::Order::Desc => 2, _ => 0 } }"),
    case("enum_value_removed", &[("enum: [asc, desc]", "enum: [asc]")], &["EnumValueRemoved"], "pub fn f() -> types::Order { types::Order::Desc }"),
    case("union_variant_added",
        &[("        - $ref: \"#/components/schemas/Team\"\n", "        - $ref: \"#/components/schemas/Team\"\n        - $ref: \"#/components/schemas/Bot\"\n"),
          ("    Tokens:\n", "    Bot:\n      type: object\n      properties:\n        model:\n          type: string\n    Tokens:\n")],
        &["UnionVariantAdded", "TypeAdded"],
        "pub fn f(o: &types::Owner) -> u8 { match o { types::Owner::User(_) => 1, types::Owner::Team(_) => 2, _ => 0 } }"),
    case("union_variant_removed", &[("        - $ref: \"#/components/schemas/Team\"\n", "")], &["UnionVariantRemoved"],
        "pub fn f() -> types::Owner { types::Owner::Team(types::Team::new()) }"),
    case("server_added", &[("    x-name: Backup\n", "    x-name: Backup\n  - url: https://eu.example.com\n    x-name: Eu\n")], &["ServerAdded"],
        "pub fn f(s: Server) -> u8 { match s { Server::Main => 1, Server::Backup => 2, _ => 0 } }"),
    case("server_removed", &[("  - url: https://backup.example.com\n    x-name: Backup\n", "")], &["ServerRemoved"], "pub fn f() -> Server { Server::Backup }"),
    case("server_url", &[("https://backup.example.com", "https://backup2.example.com")], &["ServerUrl"], "pub fn f() -> String { Server::Backup.url() }"),
    case("auth_added", &[("    bearer:\n      type: http\n      scheme: bearer\n", "    bearer:\n      type: http\n      scheme: bearer\n    basic:\n      type: http\n      scheme: basic\n")],
        &["AuthAdded"], "pub fn f() -> Credentials { Credentials { key: None, bearer: None } }"),
    case("auth_removed", &[("    bearer:\n      type: http\n      scheme: bearer\n", "")], &["AuthRemoved"], "pub fn f(c: Credentials) -> bool { c.bearer.is_some() }"),
    case("auth_changed", &[("name: X-Key", "name: X-Api-Key")], &["AuthChanged"], "pub fn f(c: Credentials) -> bool { c.key.is_some() }"),
    case("security", &[("      operationId: listTokens\n", "      operationId: listTokens\n      security:\n        - bearer: []\n")], &["Security"], CALL_LIST),
    case("security_relaxed", &[("      operationId: listTokens\n", "      operationId: listTokens\n      security:\n        - key: []\n        - bearer: []\n")], &["SecurityRelaxed"], CALL_LIST),
    case("envelope", &[("      operationId: createToken\n", "      operationId: createToken\n      x-envelope:\n        failure:\n          pointer: /error\n          present: true\n")], &["Envelope"], CALL_CREATE),
    case("pagination_added", &[("      operationId: listGroups\n", "      operationId: listGroups\n      x-pagination:\n        style: page\n        page-param: page\n        items: /data\n")],
        &["PaginationAdded"], "pub async fn f(c: &Client) { let _ = c.list_groups(&types::ListGroupsParams::new()).await; }"),
    case("pagination_removed", &[("      x-pagination:\n        style: page\n        page-param: page\n        items: /data\n", "")], &["PaginationRemoved"],
        "pub fn f() { let _ = Client::list_tokens_all; }"),
    case("pagination_changed", &[("        items: /data\n", "        items: /data\n        first-page: 0\n")], &["PaginationChanged"],
        "pub fn f() { let _ = Client::list_tokens_all; }"),
    case("rate_limit", &[("      operationId: listTokens\n", "      operationId: listTokens\n      x-rate-limit:\n        requests: 5\n        per-seconds: 1\n")], &["RateLimit"], CALL_LIST),
    case("retries", &[("      operationId: createToken\n", "      operationId: createToken\n      x-idempotent: true\n")], &["Retries"], CALL_CREATE),
    case("route", &[("  /tokens/{id}:\n", "  /v2/tokens/{id}:\n")], &["Route"], CALL_DELETE),
    case("deprecation", &[("      operationId: listTokens\n", "      operationId: listTokens\n      deprecated: true\n")], &["Deprecation"], CALL_LIST),
    case("unverified", &[("      operationId: listTokens\n", "      operationId: listTokens\n      x-unverified: not in the vendor's docs\n")], &["Unverified"], CALL_LIST),
];

//! The fixture corpus compiled (`tests/corpus/`, the `corpus` crate): its types and clients
//! behave as their specs say. What the generator makes of the corpus specs (IR snapshots, the
//! exact error of each invalid one) is `generator/tests/corpus.rs`, which needs no crate built.

use serde_json::json;

#[test]
fn discriminated_union_decodes_by_tag() {
    use corpus::composition::types::{Pet, Shape};
    let pet: Pet = serde_json::from_value(json!({"name": "Rex", "petType": "dog", "barks": true}))
        .expect("dog");
    assert!(matches!(&pet, Pet::Dog(d) if d.barks == Some(true) && d.name == "Rex"));
    assert_eq!(
        serde_json::to_value(&pet).expect("serializes")["petType"],
        "dog"
    );
    let cat: Pet =
        serde_json::from_value(json!({"name": "Tom", "petType": "cat", "lives": 9})).expect("cat");
    assert!(matches!(cat, Pet::Cat(c) if c.lives == Some(9)));
    let err = serde_json::from_value::<Pet>(json!({"name": "X", "petType": "fish"}))
        .expect_err("unknown tag");
    assert!(
        err.to_string().contains("unknown petType \"fish\""),
        "{err}"
    );
    // Without a mapping, the schema names are the tag values.
    let shape: Shape =
        serde_json::from_value(json!({"kind": "Square", "side": 2.0})).expect("square");
    assert!(matches!(shape, Shape::Square(s) if s.side == 2.0));
}

#[test]
fn untagged_union_takes_the_first_fitting_variant() {
    use corpus::composition::types::GetValueResponse;
    assert!(
        matches!(serde_json::from_value(json!("x")).unwrap(), GetValueResponse::String(s) if s == "x")
    );
    assert!(matches!(
        serde_json::from_value(json!(3)).unwrap(),
        GetValueResponse::Integer(3)
    ));
    assert!(matches!(
        serde_json::from_value(json!(["a"])).unwrap(),
        GetValueResponse::Array(_)
    ));
}

#[test]
fn recursive_types_round_trip() {
    use corpus::recursion::types::{Expr, Node};
    let tree =
        json!({"value": 1, "parent": {"value": 0}, "children": [{"value": 2, "children": []}]});
    let node: Node = serde_json::from_value(tree.clone()).expect("tree");
    assert_eq!(node.parent.as_ref().map(|p| p.value), Some(0));
    assert_eq!(serde_json::to_value(&node).unwrap(), tree);
    let expr: Expr =
        serde_json::from_value(json!({"left": 1, "right": {"left": 2, "right": 3}})).expect("expr");
    assert!(matches!(expr, Expr::Sum(_)));
}

#[test]
fn open_enums_keep_unknown_values() {
    use corpus::enums_and_names::types::Kind;
    let known: Kind = serde_json::from_value(json!("a-b")).unwrap();
    assert_eq!(known, Kind::AB);
    let unknown: Kind = serde_json::from_value(json!("brand-new")).unwrap();
    assert_eq!(unknown, Kind::Unknown("brand-new".into()));
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("brand-new"));
}

#[test]
fn integer_enums_are_typed_and_open() {
    use corpus::enums_and_names::types::Level;
    assert_eq!(
        serde_json::from_value::<Level>(json!(10)).unwrap(),
        Level::V10
    );
    assert_eq!(
        serde_json::from_value::<Level>(json!(-1)).unwrap(),
        Level::Minus1
    );
    assert_eq!(
        serde_json::from_value::<Level>(json!(7)).unwrap(),
        Level::Unknown(7)
    );
    assert_eq!(serde_json::to_value(Level::V20).unwrap(), json!(20));
    assert_eq!(Level::Unknown(7).to_string(), "7");
    assert!(
        serde_json::from_value::<Level>(json!("10")).is_err(),
        "a string is not an integer enum"
    );
}

#[test]
fn required_optional_and_nullable_stay_distinct() {
    use corpus::schemas::types::Record;
    // A required nullable field is sent as null; an optional one is omitted.
    let record: Record =
        serde_json::from_value(json!({"name": "n", "nullableRequired": null})).expect("decodes");
    let back = serde_json::to_value(&record).unwrap();
    assert_eq!(back["nullableRequired"], serde_json::Value::Null);
    assert!(back.get("nullableRequired").is_some());
    assert!(back.get("nickname").is_none());
    assert!(
        serde_json::from_value::<Record>(json!({"nullableRequired": null})).is_err(),
        "name is required"
    );
}

#[tokio::test]
async fn non_json_bodies_go_out_and_come_back_as_declared() {
    use corpus::bodies::{types::Credentials, types::DownloadBlobError, types::LoginError, Client};
    use wiremock::matchers::{body_bytes, body_string, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "username=ann&password=p%40ss+word&remember=true",
        ))
        .respond_with(ResponseTemplate::new(503).set_body_raw("<h1>down</h1>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/notes"))
        .and(header("content-type", "text/plain"))
        .and(body_string("hello"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("hello back", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/blobs/b1"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_bytes(vec![0_u8, 159, 255]))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/blobs/b1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![1_u8, 2, 3], "application/octet-stream"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/blobs/missing"))
        .respond_with(
            ResponseTemplate::new(404).set_body_raw("no such blob", "application/octet-stream"),
        )
        .mount(&server)
        .await;

    let client = Client::new(server.uri(), (), tests::config()).expect("client");
    let credentials = Credentials::new("ann", "p@ss word").with_remember(true);
    match client.login(&credentials).await {
        Err(api_token_clients::runtime::Error::Api {
            status: 503,
            error: LoginError::ServiceUnavailable(page),
            ..
        }) => {
            assert_eq!(page, "<h1>down</h1>")
        }
        other => panic!("expected the text 503, got {other:?}"),
    }
    assert_eq!(
        client.put_note("hello").await.expect("text round trip"),
        "hello back"
    );
    client
        .upload_blob("b1", Some(&[0, 159, 255]))
        .await
        .expect("bytes upload");
    assert_eq!(
        client.download_blob("b1").await.expect("bytes download"),
        vec![1, 2, 3]
    );
    match client.download_blob("missing").await {
        Err(api_token_clients::runtime::Error::Api {
            status: 404,
            error: DownloadBlobError::NotFound(text),
            ..
        }) => {
            assert_eq!(text, "no such blob")
        }
        other => panic!("expected the 404, got {other:?}"),
    }
}

/// Colliding, keyword, non-ASCII and reserved names each got a name of their own (this test
/// compiles only if they exist and have the shapes below).
#[test]
fn colliding_and_reserved_names_are_distinct() {
    use corpus::naming_collisions::{
        types, types::GetItem2Error, types::GetItem3Error, types::GetItem4Error,
        types::GetItemError, types::ListParams, types::NewError, types::RiBenYuError,
        types::RocketError, types::RocketRocketError, types::SelfValueError, types::TypeError,
        types::WithConfigError, Client, Credentials, Server,
    };
    let client = Client::new(
        Server::Client2,
        Credentials::default().with_api_key2("k"),
        Default::default(),
    )
    .expect("client");
    assert!(client.base_url().starts_with("https://eu.api.example.com"));
    let _methods = (
        Client::get_item,
        Client::get_item2,
        Client::get_item3,
        Client::get_item4,
        Client::ri_ben_yu,
        Client::rocket,
        Client::rocket_rocket,
        Client::new2,
        Client::with_config2,
        Client::base_url2,
        Client::kind,
        Client::self_,
        Client::clone2,
        Client::get_n,
        Client::list,
        Client::list_all,
        Client::list2_all,
        Client::list2_stream,
        Client::list2_pages,
    );
    // Naming every error type proves each exists; the tuple is only a list.
    #[allow(clippy::type_complexity)]
    let _errors: [Option<(
        GetItemError,
        GetItem2Error,
        GetItem3Error,
        GetItem4Error,
        RiBenYuError,
        RocketError,
        RocketRocketError,
        NewError,
        WithConfigError,
        TypeError,
        SelfValueError,
    )>; 1] = [None];
    let mut params = ListParams::default();
    params.page = Some(2);
    params.kind = Some("query".into());
    params.type_ = Some("header".into());
    params.grosse = None;
    assert_eq!(params.page, Some(2));
    // `From`, `Option` and `Result` are prelude names inside `types`: the schemas moved aside.
    let value: types::From2 = serde_json::from_value(json!("a!")).expect("enum");
    assert_eq!(value, types::From2::A3);
    let record: types::Client = serde_json::from_value(
        json!({"additional_properties": "x", "type": "t", "Type": "T", "größe": "g", "日本語": "j", "other": 1}),
    )
    .expect("struct");
    assert_eq!(record.additional_properties.as_deref(), Some("x"));
    assert_eq!(record.grosse.as_deref(), Some("g"));
    assert_eq!(record.ri_ben_yu.as_deref(), Some("j"));
    assert_eq!(record.additional_properties2["other"], json!(1));
    let _: Option<(types::Option2, types::Result2)> = None;
}

/// Scalar unions go out as their wire value; objects in a query as form pairs (exploded or
/// not) and as `deepObject` pairs.
#[tokio::test]
async fn scalar_unions_and_query_objects_go_out_as_wire_values() {
    use corpus::{object_query, scalar_unions};
    use wiremock::matchers::{header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/projects/my-project/instances"))
        .and(query_param("limit", "5"))
        .and(query_param("since", "1700000000"))
        .and(query_param("count", "3"))
        .and(query_param("tags", "a,b"))
        .and(query_param("ids", "i1"))
        .and(query_param("ids", "i2"))
        .and(header("X-Shape", "round"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["on", "off", "dim"])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("offset", "0"))
        .and(query_param("limit", "10"))
        .and(query_param("point", "x,1,y,2"))
        .and(query_param("filter[status]", "open"))
        .and(query_param("filter[owner]", "ann"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    let client = scalar_unions::Client::new(
        server.uri(),
        scalar_unions::Credentials::default(),
        tests::config(),
    )
    .expect("client");
    use scalar_unions::types::{
        ListInstancesIds, ListInstancesLimit, ListInstancesSince, ListInstancesXShape, NameOrId,
        Shape, Wrapped,
    };
    let found = client
        .list_instances(
            &NameOrId::Name("my-project".into()),
            &scalar_unions::types::ListInstancesParams::new()
                .with_limit(ListInstancesLimit::Integer(5))
                .with_since(ListInstancesSince::Integer(1_700_000_000))
                .with_x_shape(ListInstancesXShape::Shape(Shape::Round))
                .with_count(3)
                .with_tags(vec![NameOrId::Id("a".into()), NameOrId::Name("b".into())])
                .with_ids(ListInstancesIds::Array(vec!["i1".into(), "i2".into()])),
        )
        .await
        .expect("the union parameters match");
    assert_eq!(
        found,
        [Wrapped::On, Wrapped::Off, Wrapped::Unknown("dim".into())]
    );

    let client = object_query::Client::new(
        server.uri(),
        object_query::Credentials::default(),
        tests::config(),
    )
    .expect("client");
    use object_query::types::{Page, SearchFilter, SearchFilterStatus, SearchPoint};
    client
        .search(
            &object_query::types::SearchParams::new(
                SearchFilter::new()
                    .with_status(SearchFilterStatus::Open)
                    .with_owner("ann"),
            )
            .with_page(Page::new().with_offset(0).with_limit(10))
            .with_point(SearchPoint::new(1, 2)),
        )
        .await
        .expect("the object parameters match");
}

/// `default` alone documents the success too; a spec without (absolute) servers gets a client
/// from the caller's base URL.
#[tokio::test]
async fn default_only_operations_and_server_less_specs_work() {
    use corpus::{default_only, no_servers, relative_server};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": ["a"]})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/things/gone"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("pong", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/ping"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    let client = default_only::Client::new(
        server.uri(),
        default_only::Credentials::default(),
        tests::config(),
    )
    .expect("client");
    let things = client.list_things().await.expect("default as success");
    assert_eq!(things.items, Some(vec!["a".to_owned()]));
    client.delete_thing("t1").await.expect("2xx under default");
    match client.delete_thing("gone").await {
        Err(api_token_clients::runtime::Error::Api {
            status: 500,
            error: default_only::types::DeleteThingError::Other,
            ..
        }) => {}
        other => panic!("expected the default error, got {other:?}"),
    }

    let client = no_servers::Client::new("https://api.example.com", (), Default::default())
        .expect("a client from the caller's base URL");
    assert_eq!(client.base_url(), "https://api.example.com/");
    let client = no_servers::Client::new(
        server.uri(),
        no_servers::Credentials::default(),
        tests::config(),
    )
    .expect("client");
    assert_eq!(client.ping().await.expect("pong"), "pong");
    let client = relative_server::Client::new(
        format!("{}/api/v2", server.uri()),
        relative_server::Credentials::default(),
        tests::config(),
    )
    .expect("client");
    client
        .ping()
        .await
        .expect("relative server under the caller's base URL");
}

/// Bodies much larger than their siblings are boxed (clippy's `large_enum_variant`), and
/// still decode by status or shape.
#[test]
fn large_variants_are_boxed() {
    use corpus::prose_and_sizes::{types, types::GetReportSuccess};
    let receipt: types::Document = serde_json::from_value(json!({"ticket": "t"})).expect("receipt");
    // Untagged: the first variant that fits, here the (boxed) report with every field absent.
    assert!(matches!(&receipt, types::Document::Report(r) if r.a.is_none()));
    let report = types::Report::new().with_a("a");
    let success = GetReportSuccess::Ok(Box::new(report));
    assert_eq!(serde_json::to_value(&success).unwrap()["a"], "a");
    assert!(std::mem::size_of::<GetReportSuccess>() <= 64);
}

/// Of an operation's security alternatives the first the client holds every credential of
/// goes out: the root's combined requirement (the e-mail and key headers together) before the
/// bearer token, the bearer token when a part of the combination is missing, the API key
/// header where digest is left out; an operation whose only other alternative is `{}` sends
/// nothing.
#[tokio::test]
async fn security_alternatives_send_the_first_one_held() {
    use corpus::security_alternatives::{Client, Credentials};
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    let server = MockServer::start().await;
    let no_authorization = |request: &Request| !request.headers.contains_key("authorization");
    Mock::given(method("GET"))
        .and(path("/zones"))
        .and(header("x-auth-email", "ann@example.com"))
        .and(header("x-auth-key", "k3y"))
        .and(no_authorization)
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zones/z1/records"))
        .and(header("authorization", "Bearer t0ken"))
        .and(|request: &Request| {
            // The e-mail header alone is no alternative: it never goes without the key.
            !request.headers.contains_key("x-auth-email")
                && !request.headers.contains_key("x-auth-key")
        })
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zones/z1"))
        .and(header("x-auth-key", "k3y"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/session"))
        .and(|request: &Request| {
            !request.headers.contains_key("authorization")
                && !request.headers.contains_key("x-auth-key")
        })
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    let all = Credentials::default()
        .with_bearer("t0ken")
        .with_api_key("k3y")
        .with_api_email("ann@example.com");
    let client = Client::new(server.uri(), all, tests::config()).expect("client");
    client.list_zones().await.expect("e-mail and key together");
    client.get_zone("z1").await.expect("api key");
    client.get_session().await.expect("no credentials");
    let email_and_bearer = Credentials::default()
        .with_bearer("t0ken")
        .with_api_email("ann@example.com");
    let client = Client::new(server.uri(), email_and_bearer, tests::config()).expect("client");
    client
        .list_records("z1")
        .await
        .expect("the bearer token, the combination lacking its key");
}

/// An operation whose only requirement combines two schemes sends both headers together, and
/// with one of them missing fails before anything is sent, naming the part it lacks.
#[tokio::test]
async fn a_combined_requirement_sends_every_part_or_nothing() {
    use corpus::runtime::{Error, RequestError};
    use corpus::security_alternatives::{Client, Credentials};
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/zones/z1/purge"))
        .and(header("x-auth-email", "ann@example.com"))
        .and(header("x-auth-key", "k3y"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let both = Credentials::default()
        .with_api_email("ann@example.com")
        .with_api_key("k3y");
    let client = Client::new(server.uri(), both, tests::config()).expect("client");
    client.purge_cache("z1").await.expect("both headers");
    server.verify().await;
    server.reset().await;

    for (credentials, missing) in [
        (
            Credentials::default().with_api_email("ann@example.com"),
            "api_key",
        ),
        (Credentials::default().with_api_key("k3y"), "api_email"),
    ] {
        let client = Client::new(server.uri(), credentials, tests::config()).expect("client");
        let error = client.get_account().await.expect_err("a part is missing");
        assert!(
            matches!(
                &error,
                Error::Request(RequestError::IncompleteCredentials { needs: "api_email and api_key", missing: m }) if *m == missing
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("missing credentials: this operation sends `api_email and api_key` together, and `{missing}` is not set")
        );
    }
    // Neither part: the operation's requirement, as for a single scheme.
    let client =
        Client::new(server.uri(), Credentials::default(), tests::config()).expect("client");
    let error = client.get_account().await.expect_err("no credentials");
    assert_eq!(
        error.to_string(),
        "missing credentials: this operation needs `api_email and api_key`"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

/// A dry run of a combined requirement shows both headers redacted and says how the request
/// is authenticated, part by part.
#[tokio::test]
async fn a_dry_run_redacts_every_part_of_a_combined_requirement() {
    use corpus::runtime;
    use corpus::security_alternatives::{Client, Credentials};

    let credentials = Credentials::default()
        .with_api_email("ann-SECRET-MAIL@example.com")
        .with_api_key("k3y-SECRET-KEY");
    let client = Client::new("http://127.0.0.1:9", credentials, tests::config()).expect("client");
    let (result, prepared) = runtime::dry_run(client.get_account()).await;
    assert!(result.is_err());
    let prepared = prepared.expect("prepared");
    let shown = format!("{prepared:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    let header = |name: &str| {
        prepared
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("x-auth-email"), Some("[redacted]"));
    assert_eq!(header("x-auth-key"), Some("[redacted]"));
    assert_eq!(
        prepared.auth,
        "API key in the X-Auth-Email header and API key in the X-Auth-Key header"
    );
}

/// `allOf` with annotation parts is the type it describes: a described `$ref` decodes as the
/// enum it names, a described scalar enum as that enum, a described `oneOf`/`anyOf` as that
/// union.
#[test]
fn described_all_of_parts_are_the_types_they_describe() {
    use corpus::all_of::types::{Order, OrderAmount, OrderPayment, Priority, Status};
    let order: Order = serde_json::from_value(json!({
        "id": "o1",
        "status": "open",
        "priority": "high",
        "payment": {"iban": "DE00"},
        "amount": "12.50",
        "customer": null,
    }))
    .expect("an order");
    assert_eq!(order.status, Status::Open);
    assert_eq!(order.priority, Some(Priority::High));
    assert!(matches!(&order.payment, OrderPayment::Transfer(t) if t.iban == "DE00"));
    assert!(matches!(&order.amount, OrderAmount::String(s) if s == "12.50"));
    assert!(order.customer.is_none());
}

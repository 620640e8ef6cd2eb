//! Create, list, fetch and delete api.video upload tokens.
//!
//! `APIVIDEO_API_KEY=... cargo run -p api-token-clients --example upload_tokens`
//! (uses the sandbox; set `APIVIDEO_BASE_URL` to point at another server).

use api_token_clients::apivideo::{self, types, Client};
use api_token_clients::runtime::{BasicAuth, Config, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Ok(key) = std::env::var("APIVIDEO_API_KEY") else {
        eprintln!("set APIVIDEO_API_KEY to a sandbox API key to run this example");
        return Ok(());
    };
    // One scheme in the spec: the credential is passed as it is.
    let server = match std::env::var("APIVIDEO_BASE_URL") {
        Ok(url) => apivideo::Server::from(url),
        Err(_) => apivideo::Server::Sandbox,
    };
    let client = Client::new(server, BasicAuth::api_key(key), Config::default())?;

    // A token valid for one hour; `ttl: 0` would never expire.
    let created = client
        .create_upload_token(&types::TokenCreationPayload { ttl: Some(3600) })
        .await?;
    // `Debug` redacts the token; `expose()` is the explicit way to read it.
    println!("created {created:?}");

    let page = client
        .list_upload_tokens(&types::ListUploadTokensParams {
            sort_by: Some(types::ListUploadTokensSortBy::CreatedAt),
            page_size: Some(10),
            ..Default::default()
        })
        .await?;
    println!("{} token(s) on this page", page.data.len());

    if let Some(token) = &created.token {
        match client.get_upload_token(token.expose()).await {
            Ok(found) => println!("expires at {:?}", found.expires_at),
            // Documented statuses are typed: a 404 carries api.video's NotFound body.
            Err(Error::Api {
                error: types::GetUploadTokenError::NotFound(body),
                ..
            }) => {
                println!("already gone: {:?}", body.title)
            }
            Err(other) => return Err(other.into()),
        }
        client.delete_upload_token(token.expose()).await?;
        println!("deleted");
    }
    Ok(())
}

package io.beacon.ingest.credentials;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A source API key presented with a request. */
public class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}

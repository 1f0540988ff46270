package io.beacon.accountview;

import io.beacon.contracts.AccountSnapshot;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class AccountSnapshotDeserializer extends ObjectMapperDeserializer<AccountSnapshot> {

    public AccountSnapshotDeserializer() {
        super(AccountSnapshot.class);
    }
}

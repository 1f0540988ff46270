package io.beacon.accounts.service;

import java.time.Instant;
import java.util.List;

import io.beacon.accounts.domain.Account;
import io.beacon.accounts.domain.Csm;
import io.beacon.accounts.rest.AccountRequest;
import io.beacon.accounts.rest.CsmRequest;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.Topics;
import io.beacon.platform.outbox.Outbox;
import io.beacon.platform.rest.Problem;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response.Status;

/**
 * Account and CSM changes. Every committed account change also queues its new snapshot in the
 * outbox, in the same transaction.
 */
@ApplicationScoped
public class AccountService {

    private final Outbox outbox;

    AccountService(Outbox outbox) {
        this.outbox = outbox;
    }

    @Transactional
    public Csm createCsm(CsmRequest request) {
        if (Csm.findById(request.id()) != null) {
            throw problem(Status.CONFLICT, "A CSM with id '" + request.id() + "' already exists.");
        }
        Csm csm = new Csm();
        csm.id = request.id();
        csm.name = request.name();
        csm.email = request.email();
        csm.team = request.team();
        csm.createdAt = Instant.now();
        csm.persist();
        return csm;
    }

    @Transactional
    public List<Csm> csms() {
        return Csm.listAll(Sort.by("team", "id"));
    }

    @Transactional
    public AccountSnapshot create(AccountRequest request) {
        if (Account.findById(request.id()) != null) {
            throw problem(Status.CONFLICT, "An account with id '" + request.id() + "' already exists.");
        }
        Account account = new Account();
        account.id = request.id();
        account.createdAt = Instant.now();
        account.version = 0;
        apply(account, request);
        account.persist();
        return publish(account);
    }

    @Transactional
    public AccountSnapshot update(String id, AccountRequest request) {
        if (!id.equals(request.id())) {
            throw problem(Status.BAD_REQUEST, "The id in the body ('" + request.id() + "') differs from the path ('"
                    + id + "').");
        }
        Account account = Account.findById(id);
        if (account == null) {
            throw notFound(id);
        }
        apply(account, request);
        return publish(account);
    }

    @Transactional
    public AccountSnapshot get(String id) {
        Account account = Account.findById(id);
        if (account == null) {
            throw notFound(id);
        }
        return AccountSnapshots.of(account);
    }

    private void apply(Account account, AccountRequest request) {
        Csm csm = null;
        if (request.csmId() != null) {
            csm = Csm.findById(request.csmId());
            if (csm == null) {
                throw problem(Status.BAD_REQUEST, "Unknown CSM '" + request.csmId() + "'; create the CSM first.");
            }
        }
        account.name = request.name();
        account.setEmployees(request.employees());
        account.csm = csm;
        account.arr = request.arr();
        account.renewalDate = request.renewalDate();
        account.lifecycleStage = request.lifecycleStage();
        account.updatedAt = Instant.now();
    }

    private AccountSnapshot publish(Account account) {
        account.version++;
        AccountSnapshot snapshot = AccountSnapshots.of(account);
        outbox.append(Topics.ACCOUNTS_SNAPSHOTS, account.id, account.id + ":v" + account.version,
                CloudEventHeaders.TYPE_ACCOUNT_SNAPSHOT, account.id, snapshot);
        return snapshot;
    }

    private static WebApplicationException notFound(String id) {
        return problem(Status.NOT_FOUND, "No account with id '" + id + "'.");
    }

    private static WebApplicationException problem(Status status, String detail) {
        return new WebApplicationException(Problem.of(status, detail).toResponse());
    }
}

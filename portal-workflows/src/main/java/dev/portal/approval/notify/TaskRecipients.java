package dev.portal.approval.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.ApprovalTask;
import dev.portal.approval.Decision;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who a task waits for: its assignee, its candidate users and the members of its candidate groups
 * (from the catalog's {@code hasMember} relations; with nested groups, also the members of their
 * child groups), or the admin groups' members when nobody is assigned. Only people the
 * {@link ApprovalPolicy} lets decide the task are told, so a requester barred by four-eyes is not,
 * nor (with separate deciders) whoever decided another approval of the run.
 */
public final class TaskRecipients {

    private static final int MAX_GROUPS = 256;

    private final EntityQueries entities;
    private final ApprovalPolicy policy;
    private final boolean nested;
    private final Function<ApprovalTask, Set<String>> barred;

    public TaskRecipients(EntityQueries entities, ApprovalPolicy policy, boolean nested) {
        this(entities, policy, nested, task -> Set.of());
    }

    /**
     * @param barred who may not decide a task beyond what the policy says (user refs): see
     *     {@link #othersDeciders(ApprovalStore)}
     */
    public TaskRecipients(EntityQueries entities, ApprovalPolicy policy, boolean nested,
                          Function<ApprovalTask, Set<String>> barred) {
        this.entities = entities;
        this.policy = policy;
        this.nested = nested;
        this.barred = barred;
    }

    /**
     * With separate deciders (one person decides at most one approval of a run), whoever decided
     * another approval of the task's run: the inbox refuses them this one, so they are not told of it.
     */
    public static Function<ApprovalTask, Set<String>> othersDeciders(ApprovalStore store) {
        return task -> store.decisionsOfRun(task.runId()).stream()
                .filter(decision -> !decision.taskId().equals(task.id()))
                .map(Decision::approver)
                .collect(Collectors.toSet());
    }

    /** The task's recipients, at most {@code limit}, in a stable order. */
    public List<Recipient> of(ApprovalTask task, int limit) {
        Set<EntityRef> users = new LinkedHashSet<>();
        task.assignee().ifPresent(users::add);
        users.addAll(task.candidateUsers());
        Set<EntityRef> groups = new LinkedHashSet<>(task.candidateGroups());
        if (ApprovalPolicy.unassigned(task)) {
            groups.addAll(policy.adminGroups());
        }
        for (EntityRef group : withChildren(groups)) {
            current(group).ifPresent(stored -> targets(stored, RelationType.HAS_MEMBER).forEach(users::add));
        }
        Set<String> decidedOthers = barred.apply(task);
        List<Recipient> recipients = new ArrayList<>();
        for (EntityRef user : users) {
            if (recipients.size() >= limit) {
                break;
            }
            if (policy.refusal(task, user).isEmpty() && !decidedOthers.contains(user.canonical())) {
                recipients.add(recipient(user));
            }
        }
        return recipients;
    }

    private Set<EntityRef> withChildren(Set<EntityRef> groups) {
        if (!nested) {
            return groups;
        }
        Set<EntityRef> all = new LinkedHashSet<>(groups);
        Deque<EntityRef> pending = new ArrayDeque<>(groups);
        while (!pending.isEmpty() && all.size() < MAX_GROUPS) {
            current(pending.removeFirst()).ifPresent(stored -> targets(stored, RelationType.PARENT_OF).forEach(child -> {
                if (all.add(child)) {
                    pending.addLast(child);
                }
            }));
        }
        return all;
    }

    private Recipient recipient(EntityRef user) {
        Optional<JsonNode> profile = current(user).map(stored -> stored.entity().spec().path("profile"));
        Optional<String> email = profile.map(p -> p.path("email")).filter(JsonNode::isTextual).map(JsonNode::asText)
                .map(String::trim).filter(TaskRecipients::plausibleAddress);
        String name = profile.map(p -> p.path("displayName")).filter(JsonNode::isTextual).map(JsonNode::asText)
                .filter(s -> !s.isBlank()).orElse(user.name());
        return new Recipient(user, name, email);
    }

    /** One address, nothing that could add headers or further recipients. */
    private static boolean plausibleAddress(String address) {
        return address.length() <= 254 && address.matches("[^\\s@,;<>\"]+@[^\\s@,;<>\"]+");
    }

    private static List<EntityRef> targets(StoredEntity stored, String type) {
        return stored.relations().stream().filter(relation -> type.equals(relation.type())).map(Relation::target).toList();
    }

    private Optional<StoredEntity> current(EntityRef ref) {
        return entities.byRef(ref).filter(stored -> !stored.orphan());
    }
}

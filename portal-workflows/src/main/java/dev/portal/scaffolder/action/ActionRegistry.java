package dev.portal.scaffolder.action;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The actions a portal instance runs, by id (= Zeebe job type). Ids are unique. */
public final class ActionRegistry {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final Map<String, ScaffolderAction<?, ?>> actions = new LinkedHashMap<>();

    public ActionRegistry(Collection<? extends ScaffolderAction<?, ?>> actions) {
        for (ScaffolderAction<?, ?> action : actions) {
            if (action.id() == null || !ID.matcher(action.id()).matches()) {
                throw new IllegalArgumentException("action " + action.getClass().getName() + " has id '" + action.id()
                        + "'; an action id is a Zeebe job type: letters, digits and . _ : -, at most 128 characters");
            }
            ScaffolderAction<?, ?> previous = this.actions.putIfAbsent(action.id(), action);
            if (previous != null) {
                throw new IllegalArgumentException("two actions claim the id '" + action.id() + "': "
                        + previous.getClass().getName() + " and " + action.getClass().getName());
            }
        }
    }

    public Optional<ScaffolderAction<?, ?>> find(String id) {
        return Optional.ofNullable(actions.get(id));
    }

    public Collection<ScaffolderAction<?, ?>> all() {
        return Collections.unmodifiableCollection(actions.values());
    }
}

package dev.portal.scaffolder.run;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.portal.db.workflows.Tables.SCAFFOLDER_PROCESS_XML;
import static dev.portal.db.workflows.Tables.SCAFFOLDER_RUNS;
import static dev.portal.db.workflows.Tables.SCAFFOLDER_TEMPLATE_CHECKS;

/**
 * What the portal deployed, in PostgreSQL: the BPMN XML of each deployed process (by content hash,
 * for drawing runs after a restart and on every instance) and what checking each template's BPMN
 * found when the catalog stored it.
 */
public final class ProcessStore {

    private final DSLContext dsl;

    public ProcessStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Keeps deployed XML under its SHA-256 (again is a no-op). */
    public void saveXml(String sha256, String xml) {
        dsl.insertInto(SCAFFOLDER_PROCESS_XML)
                .set(SCAFFOLDER_PROCESS_XML.SHA256, sha256)
                .set(SCAFFOLDER_PROCESS_XML.XML, xml)
                .onConflict(SCAFFOLDER_PROCESS_XML.SHA256).doNothing()
                .execute();
    }

    /** Records which deployed XML a run's instance runs. */
    public void runsXml(UUID runId, String sha256) {
        dsl.update(SCAFFOLDER_RUNS).set(SCAFFOLDER_RUNS.PROCESS_XML_SHA256, sha256).where(SCAFFOLDER_RUNS.ID.eq(runId)).execute();
    }

    /** The XML a run's instance runs, if the portal deployed it. */
    public Optional<String> xmlOfRun(UUID runId) {
        return dsl.select(SCAFFOLDER_PROCESS_XML.XML)
                .from(SCAFFOLDER_RUNS)
                .join(SCAFFOLDER_PROCESS_XML).on(SCAFFOLDER_PROCESS_XML.SHA256.eq(SCAFFOLDER_RUNS.PROCESS_XML_SHA256))
                .where(SCAFFOLDER_RUNS.ID.eq(runId))
                .fetchOptional(SCAFFOLDER_PROCESS_XML.XML);
    }

    /** Records what checking a template's BPMN found: a problem, or none (empty). */
    public void recordCheck(String templateRef, String templateEtag, Optional<String> problem) {
        dsl.insertInto(SCAFFOLDER_TEMPLATE_CHECKS)
                .set(SCAFFOLDER_TEMPLATE_CHECKS.TEMPLATE_REF, templateRef)
                .set(SCAFFOLDER_TEMPLATE_CHECKS.TEMPLATE_ETAG, templateEtag)
                .set(SCAFFOLDER_TEMPLATE_CHECKS.PROBLEM, problem.orElse(null))
                .onConflict(SCAFFOLDER_TEMPLATE_CHECKS.TEMPLATE_REF).doUpdate()
                .set(SCAFFOLDER_TEMPLATE_CHECKS.TEMPLATE_ETAG, templateEtag)
                .set(SCAFFOLDER_TEMPLATE_CHECKS.PROBLEM, problem.orElse(null))
                .set(SCAFFOLDER_TEMPLATE_CHECKS.CHECKED_AT, DSL.currentOffsetDateTime())
                .execute();
    }

    /** The problem the last check of a template found, if any. */
    public Optional<String> problem(String templateRef) {
        return dsl.select(SCAFFOLDER_TEMPLATE_CHECKS.PROBLEM).from(SCAFFOLDER_TEMPLATE_CHECKS)
                .where(SCAFFOLDER_TEMPLATE_CHECKS.TEMPLATE_REF.eq(templateRef))
                .fetchOptional(SCAFFOLDER_TEMPLATE_CHECKS.PROBLEM);
    }

    /** Every template whose last check found a problem, with it. */
    public Map<String, String> problems() {
        return dsl.select(SCAFFOLDER_TEMPLATE_CHECKS.TEMPLATE_REF, SCAFFOLDER_TEMPLATE_CHECKS.PROBLEM)
                .from(SCAFFOLDER_TEMPLATE_CHECKS)
                .where(SCAFFOLDER_TEMPLATE_CHECKS.PROBLEM.isNotNull())
                .fetchMap(SCAFFOLDER_TEMPLATE_CHECKS.TEMPLATE_REF, SCAFFOLDER_TEMPLATE_CHECKS.PROBLEM);
    }
}

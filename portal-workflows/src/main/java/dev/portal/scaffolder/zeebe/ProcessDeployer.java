package dev.portal.scaffolder.zeebe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.run.ProcessStore;
import dev.portal.scaffolder.template.TemplateException;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.DeploymentEvent;
import io.camunda.client.api.response.Process;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.BaseElement;
import io.camunda.zeebe.model.bpmn.instance.ExtensionElements;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeExecutionListener;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeExecutionListenerEventType;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeExecutionListeners;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deploys template processes. Before deploying it checks that every service task's job type is
 * handled (by a registered action, by Zeebe's job-worker user tasks, or by a job type the host
 * declared as handled elsewhere), and it adds an end execution listener to every process so the
 * portal hears when a run's process ends. Deploying unchanged content again is cheap: Zeebe keeps
 * the version, and this class skips the call for content it deployed already.
 */
public final class ProcessDeployer {

    /** Zeebe's job type for user tasks with the job-worker implementation (approvals). */
    public static final String USER_TASK_JOB_TYPE = "io.camunda.zeebe:userTask";

    private final CamundaClient client;
    private final ActionRegistry actions;
    private final Set<String> externalJobTypes;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<DeployedProcess>> deployed = new ConcurrentHashMap<>();
    private final Map<String, DeployedForm> deployedForms = new ConcurrentHashMap<>();
    private final Map<Long, FormContent> formsByKey = new ConcurrentHashMap<>();
    private final Map<Long, String> processXmlByKey = new ConcurrentHashMap<>();
    private final Map<Long, String> xmlShaByKey = new ConcurrentHashMap<>();
    private final ProcessStore store;

    /**
     * A deployer that keeps the XML it deploys in memory only: for checking and preparing BPMN
     * ({@link #prepare}) and for tests; hosts keep it in a {@link ProcessStore}.
     */
    public ProcessDeployer(CamundaClient client, ActionRegistry actions, Set<String> externalJobTypes) {
        this(client, actions, externalJobTypes, null);
    }

    /**
     * @param externalJobTypes job types that workers outside the portal handle; a process using any
     *                         other unknown type is refused
     * @param store            where the XML of every deployed process is kept (for drawing runs after a
     *                         restart and on every instance)
     */
    public ProcessDeployer(CamundaClient client, ActionRegistry actions, Set<String> externalJobTypes, ProcessStore store) {
        this.client = client;
        this.actions = actions;
        this.externalJobTypes = Set.copyOf(externalJobTypes);
        this.store = store;
    }

    /**
     * A deployed process.
     *
     * @param processId            the BPMN process id
     * @param version              the version Zeebe gave it
     * @param processDefinitionKey its key
     * @param xmlSha256            the SHA-256 of the XML as deployed, under which {@link ProcessStore} keeps it
     */
    public record DeployedProcess(String processId, int version, long processDefinitionKey, String xmlSha256) {
    }

    /** Checks, prepares and deploys one BPMN resource. */
    public List<DeployedProcess> deploy(String resourceName, byte[] bpmn) {
        return deploy(resourceName, bpmn, null);
    }

    /**
     * Checks, prepares and deploys one BPMN resource that must define the executable process
     * {@code requiredProcessId} (checked before anything reaches the engine).
     */
    public List<DeployedProcess> deploy(String resourceName, byte[] bpmn, String requiredProcessId) {
        // every run start of a template deploys its file: content seen before skips parsing and the engine
        String key = resourceName + "\n" + requiredProcessId + "\n" + sha256(bpmn);
        List<DeployedProcess> known = deployed.get(key);
        if (known != null) {
            return known;
        }
        BpmnModelInstance model = prepare(resourceName, bpmn);
        if (requiredProcessId != null && model.getModelElementsByType(io.camunda.zeebe.model.bpmn.instance.Process.class)
                .stream().noneMatch(process -> requiredProcessId.equals(process.getId()) && process.isExecutable())) {
            throw new TemplateException(resourceName + " does not define the executable process '" + requiredProcessId
                    + "' that spec.workflow.processId names");
        }
        String xml = Bpmn.convertToString(model);
        String xmlSha = sha256(xml.getBytes(StandardCharsets.UTF_8));
        // kept before the engine has it: no run can start from a definition whose XML is not stored
        if (store != null) {
            store.saveXml(xmlSha, xml);
        }
        DeploymentEvent event = client.newDeployResourceCommand()
                .addResourceStringUtf8(xml, resourceName)
                .send().join();
        List<DeployedProcess> processes = new ArrayList<>();
        for (Process process : event.getProcesses()) {
            processes.add(new DeployedProcess(process.getBpmnProcessId(), process.getVersion(),
                    process.getProcessDefinitionKey(), xmlSha));
            processXmlByKey.put(process.getProcessDefinitionKey(), xml);
            xmlShaByKey.put(process.getProcessDefinitionKey(), xmlSha);
        }
        deployed.put(key, List.copyOf(processes));
        return List.copyOf(processes);
    }

    /**
     * The BPMN XML of a process definition this deployer deployed in this process's lifetime, by its
     * key. Runs find their XML in {@link ProcessStore} (kept across restarts and instances); this is
     * the fallback for a run started by process id from a definition deployed at start-up.
     */
    public Optional<String> processXml(long processDefinitionKey) {
        return Optional.ofNullable(processXmlByKey.get(processDefinitionKey));
    }

    /** The SHA-256 under which {@link ProcessStore} keeps a definition this deployer deployed since start. */
    public Optional<String> xmlSha256(long processDefinitionKey) {
        return Optional.ofNullable(xmlShaByKey.get(processDefinitionKey));
    }

    /** A Camunda form as deployed: its id (what a user task's {@code formId} links), version and key. */
    public record DeployedForm(String formId, int version, long formKey) {
    }

    /** A deployed form and its JSON, for approvers' screens. */
    public record FormContent(DeployedForm form, String json) {
    }

    /**
     * A form this deployer deployed (in this process's lifetime), by the key Zeebe gave it: what a
     * job-worker user task's {@code io.camunda.zeebe:formKey} header holds.
     */
    public Optional<FormContent> form(long formKey) {
        return Optional.ofNullable(formsByKey.get(formKey));
    }

    /**
     * Deploys a Camunda form ({@code .form}, JSON with an {@code id}), which user tasks link by
     * {@code <zeebe:formDefinition formId="..."/>}; the engine resolves the link when the task is
     * reached, so forms are deployed before the processes that use them run.
     *
     * @throws TemplateException for a file that is not a form
     */
    public DeployedForm deployForm(String resourceName, byte[] form) {
        String key = resourceName + "\n" + sha256(form);
        DeployedForm known = deployedForms.get(key);
        if (known != null) {
            return known;
        }
        try {
            JsonNode json = JSON.readTree(form);
            if (json == null || !json.path("id").isTextual() || !json.path("components").isArray()) {
                throw new TemplateException(resourceName + " is not a Camunda form: it needs an \"id\" and \"components\"");
            }
        } catch (IOException e) {
            throw new TemplateException(resourceName + " is not a Camunda form (not JSON): " + e.getMessage(), e);
        }
        DeploymentEvent event = client.newDeployResourceCommand().addResourceBytes(form, resourceName).send().join();
        var deployedForm = event.getForm().getFirst();
        DeployedForm result = new DeployedForm(deployedForm.getFormId(), deployedForm.getVersion(), deployedForm.getFormKey());
        deployedForms.put(key, result);
        formsByKey.put(result.formKey(), new FormContent(result, new String(form, StandardCharsets.UTF_8)));
        return result;
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Parses, checks the job types and adds the run-end listener; throws naming element and job type. */
    public BpmnModelInstance prepare(String resourceName, byte[] bpmn) {
        BpmnModelInstance model;
        try {
            model = Bpmn.readModelFromStream(new ByteArrayInputStream(bpmn));
        } catch (RuntimeException e) {
            throw new TemplateException(resourceName + " is not a readable BPMN file: " + e.getMessage(), e);
        }
        checkJobTypes(resourceName, model);
        for (io.camunda.zeebe.model.bpmn.instance.Process process
                : model.getModelElementsByType(io.camunda.zeebe.model.bpmn.instance.Process.class)) {
            if (process.isExecutable()) {
                addRunEndListener(model, process);
            }
        }
        try {
            Bpmn.validateModel(model);
        } catch (RuntimeException e) {
            throw new TemplateException(resourceName + " is not a valid Zeebe process: " + e.getMessage(), e);
        }
        return model;
    }

    private void checkJobTypes(String resourceName, BpmnModelInstance model) {
        List<String> problems = new ArrayList<>();
        for (ZeebeTaskDefinition definition : model.getModelElementsByType(ZeebeTaskDefinition.class)) {
            String type = definition.getType();
            if (type == null || type.startsWith("=") || isHandled(type)) {
                continue; // a FEEL expression is only known at run time
            }
            BaseElement element = (BaseElement) definition.getParentElement().getParentElement();
            problems.add("element '" + element.getId() + "' (" + element.getElementType().getTypeName()
                    + ") uses job type '" + type + "', which no registered action handles");
        }
        if (!problems.isEmpty()) {
            TreeSet<String> known = new TreeSet<>();
            actions.all().forEach(action -> known.add(action.id()));
            known.addAll(externalJobTypes);
            throw new TemplateException(resourceName + ": " + String.join("; ", problems) + " (handled job types: "
                    + known + "; declare job types that other workers handle in portal.workflows.external-job-types)");
        }
    }

    private boolean isHandled(String type) {
        return actions.find(type).isPresent() || externalJobTypes.contains(type) || USER_TASK_JOB_TYPE.equals(type)
                || ZeebeActionWorkers.RUN_END_JOB_TYPE.equals(type);
    }

    private static void addRunEndListener(BpmnModelInstance model, io.camunda.zeebe.model.bpmn.instance.Process process) {
        ExtensionElements extensions = process.getExtensionElements();
        if (extensions == null) {
            extensions = model.newInstance(ExtensionElements.class);
            process.setExtensionElements(extensions);
        }
        ZeebeExecutionListeners listeners = extensions.getChildElementsByType(ZeebeExecutionListeners.class)
                .stream().findFirst().orElse(null);
        if (listeners == null) {
            listeners = model.newInstance(ZeebeExecutionListeners.class);
            extensions.addChildElement(listeners);
        }
        boolean present = listeners.getExecutionListeners().stream()
                .anyMatch(listener -> ZeebeActionWorkers.RUN_END_JOB_TYPE.equals(listener.getType()));
        if (!present) {
            ZeebeExecutionListener listener = model.newInstance(ZeebeExecutionListener.class);
            listener.setEventType(ZeebeExecutionListenerEventType.end);
            listener.setType(ZeebeActionWorkers.RUN_END_JOB_TYPE);
            listener.setRetries("3");
            listeners.addChildElement(listener);
        }
    }
}

package dev.portal.scaffolder.secret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret parameter values (AES-GCM with the host's key, bound to the run id) so that they
 * are stored and handed to the workflow engine only as {@code portal-secret:v1:<base64>} strings,
 * and opens them again inside a step, just before an action sees its input.
 *
 * <p>A sealed value opens only with the same key and the same run id, so a sealed string copied
 * into another run is useless. It ends with a dot (outside the base64 alphabet), so that it is
 * found and opened inside text too: a FEEL input mapping such as {@code ="token " + values.token}
 * concatenates it into a longer string before the step sees it.
 */
public final class SecretBox {

    /** Every sealed value starts with this. */
    public static final String PREFIX = "portal-secret:v1:";

    private static final java.util.regex.Pattern SEALED = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(PREFIX) + "([A-Za-z0-9+/=]*)\\.");

    /** What the API and the web UI show in place of a secret. */
    public static final String MASK = "******";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final boolean ephemeral;

    private SecretBox(byte[] key, boolean ephemeral) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("portal.scaffolder.secrets.key must be 16, 24 or 32 bytes (base64), not "
                    + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.ephemeral = ephemeral;
    }

    /** A box with the host's key, the same on every instance that shares the engine. */
    public static SecretBox withKey(byte[] key) {
        return new SecretBox(key.clone(), false);
    }

    /**
     * A box whose key lives only in this JVM: a step that needs a secret cannot run on another
     * instance or after a restart (it fails, naming the reason).
     */
    public static SecretBox ephemeral() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new SecretBox(key, true);
    }

    /** Whether the key was generated at start-up rather than configured. */
    public boolean isEphemeral() {
        return ephemeral;
    }

    public static boolean isSealed(JsonNode node) {
        return node != null && node.isTextual() && node.asText().contains(PREFIX);
    }

    /**
     * Whether {@code node} is one sealed value and nothing else: a value that merely contains
     * {@link #PREFIX} (somebody's password, say) is not sealed and must still be.
     */
    public static boolean isWhollySealed(JsonNode node) {
        return node != null && node.isTextual() && SEALED.matcher(node.asText()).matches();
    }

    /** {@code value} (any JSON) sealed for run {@code runId}. */
    public TextNode seal(JsonNode value, UUID runId) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(runId.toString().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(JSON.writeValueAsBytes(value));
            return TextNode.valueOf(PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array()) + ".");
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("could not seal a secret value: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * {@code node} with every sealed value of run {@code runId} opened, at any depth; each opened
     * secret's text is added to {@code opened} (for redaction).
     *
     * @throws SecretUnavailableException when a value does not open with this key (another key, another run)
     */
    public JsonNode open(JsonNode node, UUID runId, Collection<String> opened) {
        if (isSealed(node)) {
            String text = node.asText();
            java.util.regex.Matcher whole = SEALED.matcher(text);
            if (whole.matches()) {
                JsonNode value = openOne(whole.group(1), runId);
                collect(value, opened);
                return value;
            }
            return TextNode.valueOf(SEALED.matcher(text).replaceAll(match -> {
                JsonNode value = openOne(match.group(1), runId);
                collect(value, opened);
                return java.util.regex.Matcher.quoteReplacement(value.isValueNode() ? value.asText() : value.toString());
            }));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                copy.set(field.getKey(), open(field.getValue(), runId, opened));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(item -> copy.add(open(item, runId, opened)));
            return copy;
        }
        return node;
    }

    /** {@code node} with every sealed value replaced by {@link #MASK}, at any depth; needs no key. */
    public static JsonNode mask(JsonNode node) {
        if (isSealed(node)) {
            return TextNode.valueOf(SEALED.matcher(node.asText()).replaceAll(MASK));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                copy.set(field.getKey(), mask(field.getValue()));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(item -> copy.add(mask(item)));
            return copy;
        }
        return node;
    }

    /** Whether {@code node} holds a sealed value anywhere. */
    public static boolean containsSealed(JsonNode node) {
        if (isSealed(node)) {
            return true;
        }
        if (node == null || !node.isContainerNode()) {
            return false;
        }
        for (JsonNode child : node) {
            if (containsSealed(child)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode openOne(String base64, UUID runId) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(runId.toString().getBytes(StandardCharsets.UTF_8));
            return JSON.readTree(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES));
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            throw new SecretUnavailableException("a secret parameter of run " + runId + " cannot be opened with this host's"
                    + " key" + (ephemeral ? " (portal.scaffolder.secrets.key is not set: secrets open only on the instance"
                    + " that started the run, before it restarts)" : " (portal.scaffolder.secrets.key differs from the one"
                    + " that sealed it)"));
        }
    }

    private static void collect(JsonNode value, Collection<String> opened) {
        if (value.isValueNode()) {
            String text = value.asText();
            if (!text.isEmpty()) {
                opened.add(text);
            }
        } else {
            value.forEach(child -> collect(child, opened));
        }
    }

    /** Replaces every secret in {@code secrets} found in {@code text} with {@link #MASK}. */
    public static String redact(String text, Set<String> secrets) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String redacted = text;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, MASK);
        }
        return redacted;
    }

    /** {@code node} with every text containing a secret of {@code secrets} redacted, at any depth. */
    public static JsonNode redact(JsonNode node, Set<String> secrets) {
        if (secrets.isEmpty() || node == null) {
            return node;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(redact(node.asText(), secrets));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                copy.set(field.getKey(), redact(field.getValue(), secrets));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(item -> copy.add(redact(item, secrets)));
            return copy;
        }
        return node;
    }
}

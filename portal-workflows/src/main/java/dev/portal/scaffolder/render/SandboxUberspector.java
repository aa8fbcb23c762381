package dev.portal.scaffolder.render;

import org.apache.velocity.runtime.directive.ForeachScope;
import org.apache.velocity.runtime.directive.Scope;
import org.apache.velocity.util.introspection.Info;
import org.apache.velocity.util.introspection.UberspectImpl;
import org.apache.velocity.util.introspection.VelMethod;
import org.apache.velocity.util.introspection.VelPropertyGet;
import org.apache.velocity.util.introspection.VelPropertySet;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Velocity's view of objects for {@link SandboxedVelocity}: an allow-list, where Velocity's own
 * {@code SecureUberspector} is a deny-list (it even lets {@code $s.getClass()} through, stopping
 * only at methods <em>of</em> {@code Class}). Templates may read and call a fixed set of harmless
 * instance methods of strings, numbers, booleans, maps, lists, map entries, arrays and the
 * {@code $foreach} scope, and read the components of {@link TemplateData} records; every other
 * object, method and static method is refused with a {@link TemplateRenderException} naming the
 * method and where the template calls it. Strings that methods build are held to the render's
 * size limit, and regular expressions run against the render's clock.
 *
 * <p>Public only because Velocity instantiates its uberspector by class name; not for use elsewhere.
 */
public final class SandboxUberspector extends UberspectImpl {

    private static final Set<String> OBJECT_METHODS = Set.of("toString", "equals", "hashCode");

    /** The kinds of object a template may touch, each with the methods it may call on them. */
    enum Kind {
        STRING("a string", "length", "isEmpty", "isBlank", "charAt", "substring", "subSequence", "indexOf",
                "lastIndexOf", "contains", "startsWith", "endsWith", "equalsIgnoreCase", "compareTo",
                "compareToIgnoreCase", "toLowerCase", "toUpperCase", "trim", "strip", "stripLeading",
                "stripTrailing", "replace", "replaceAll", "replaceFirst", "matches", "split", "concat"),
        NUMBER("a number", "intValue", "longValue", "doubleValue", "floatValue", "shortValue", "byteValue",
                "compareTo", "toPlainString", "isNaN", "isInfinite", "signum"),
        BOOLEAN("a boolean", "booleanValue", "compareTo"),
        CHARACTER("a character", "charValue", "compareTo"),
        LOOP("the $foreach scope", "getIndex", "getCount", "hasNext", "getHasNext", "isFirst", "getFirst",
                "isLast", "getLast", "getParent", "getTopmost", "get"),
        // No addAll/putAll: doubling a collection in a loop is the cheapest way to exhaust memory.
        MAP("a map", "get", "getOrDefault", "containsKey", "containsValue", "isEmpty", "size", "keySet",
                "values", "entrySet", "put", "remove", "clear"),
        COLLECTION("a list", "get", "size", "isEmpty", "contains", "containsAll", "indexOf", "lastIndexOf",
                "subList", "getFirst", "getLast", "add", "remove", "set", "clear"),
        ENTRY("a map entry", "getKey", "getValue"),
        ARRAY("an array", "get", "size", "isEmpty"),
        DATA("a record");

        private final String description;
        private final Set<String> methods;

        Kind(String description, String... methods) {
            this.description = description;
            this.methods = Stream.concat(Arrays.stream(methods), OBJECT_METHODS.stream()).collect(Collectors.toUnmodifiableSet());
        }

        boolean allows(Object target, String method) {
            if (this == DATA) {
                return OBJECT_METHODS.contains(method) || component(target, method) != null;
            }
            return methods.contains(method);
        }
    }

    private static final Set<Class<?>> NUMBERS = Set.of(Integer.class, Long.class, Short.class, Byte.class,
            Double.class, Float.class, BigInteger.class, BigDecimal.class);

    static Kind kindOf(Object target) {
        Class<?> type = target.getClass();
        if (type == String.class) {
            return Kind.STRING;
        }
        if (NUMBERS.contains(type)) {
            return Kind.NUMBER;
        }
        if (type == Boolean.class) {
            return Kind.BOOLEAN;
        }
        if (type == Character.class) {
            return Kind.CHARACTER;
        }
        // Before maps: a Velocity scope is a map, but only $foreach's is meant for templates.
        if (target instanceof Scope) {
            return type == ForeachScope.class ? Kind.LOOP : null;
        }
        if (target instanceof TemplateData && type.isRecord()) {
            return Kind.DATA;
        }
        if (target instanceof Map) {
            return Kind.MAP;
        }
        if (target instanceof Collection) {
            return Kind.COLLECTION;
        }
        if (target instanceof Map.Entry) {
            return Kind.ENTRY;
        }
        if (type.isArray()) {
            return Kind.ARRAY;
        }
        return null;
    }

    @Override
    public VelMethod getMethod(Object target, String name, Object[] args, Info info) {
        if (target == null) {
            return null;
        }
        Kind kind = permitted(target, "call " + name + "() on", info);
        if (!kind.allows(target, name)) {
            throw refusal("templates may not call " + name + "() on " + kind.description, info);
        }
        VelMethod method = super.getMethod(target, name, args, info);
        if (method == null) {
            return null;
        }
        Method javaMethod = method.getMethod();
        if (javaMethod != null && (Modifier.isStatic(javaMethod.getModifiers())
                || javaMethod.getDeclaringClass() == Object.class && !OBJECT_METHODS.contains(name))) {
            throw refusal("templates may not call " + name + "() on " + kind.description, info);
        }
        return new GuardedMethod(method, kind, where(info));
    }

    @Override
    public VelPropertyGet getPropertyGet(Object target, String identifier, Info info) {
        if (target == null) {
            return null;
        }
        Kind kind = permitted(target, "read ." + identifier + " of", info);
        if (kind == Kind.MAP) {
            // A value map's keys are what templates mean by $values.x: never getters of the map itself.
            return new MapEntryGet(identifier);
        }
        if (kind == Kind.DATA) {
            RecordComponent component = component(target, identifier);
            return component == null ? null : new ComponentGet(component);
        }
        VelPropertyGet getter = super.getPropertyGet(target, identifier, info);
        if (getter == null) {
            return null;
        }
        String method = getter.getMethodName();
        if (method == null || !kind.allows(target, method)) {
            throw refusal("templates may not read ." + identifier + " of " + kind.description
                    + (method == null ? "" : " (it calls " + method + "())"), info);
        }
        return new GuardedGet(getter, where(info));
    }

    @Override
    public VelPropertySet getPropertySet(Object target, String identifier, Object arg, Info info) {
        if (target == null) {
            return null;
        }
        Kind kind = permitted(target, "set ." + identifier + " of", info);
        if (kind != Kind.MAP) {
            throw refusal("templates may set entries of maps only, not ." + identifier + " of " + kind.description, info);
        }
        return new MapEntrySet(identifier);
    }

    @Override
    public Iterator getIterator(Object target, Info info) {
        if (target == null) {
            return null;
        }
        Kind kind = permitted(target, "iterate over", info);
        if (kind != Kind.MAP && kind != Kind.COLLECTION && kind != Kind.ARRAY) {
            throw refusal("#foreach may iterate over lists, maps and arrays only, not " + kind.description, info);
        }
        return super.getIterator(target, info);
    }

    private static Kind permitted(Object target, String action, Info info) {
        Kind kind = kindOf(target);
        if (kind == null) {
            throw refusal("templates may not " + action + " objects of type " + target.getClass().getName(), info);
        }
        return kind;
    }

    private static TemplateRenderException refusal(String message, Info info) {
        return new TemplateRenderException(message + " at " + where(info)
                + "; templates may use only harmless methods of strings, numbers, booleans, lists and maps");
    }

    private static String where(Info info) {
        return info == null ? "an unknown place" : TemplateRenderException.at(info.getTemplateName(), info.getLine(), info.getColumn());
    }

    private static RecordComponent component(Object target, String name) {
        for (RecordComponent component : target.getClass().getRecordComponents()) {
            if (component.getName().equals(name)) {
                return component;
            }
        }
        return null;
    }

    /** A method call held to the render's clock and string limit. */
    private record GuardedMethod(VelMethod delegate, Kind kind, String where) implements VelMethod {

        @Override
        public Object invoke(Object target, Object[] params) throws IllegalAccessException, InvocationTargetException {
            RenderBudget budget = RenderBudget.current();
            budget.checkTime(where);
            Object result = kind == Kind.STRING && target instanceof String text
                    ? invokeOnString(budget, text, params) : delegate.invoke(target, params);
            return result instanceof CharSequence string ? budget.checkLength(string, getMethodName() + "()", where) : result;
        }

        /**
         * Methods that could build huge strings are checked before they run; regular expressions run
         * over the string through a view that watches the clock, so a catastrophic pattern stops at
         * the render's time limit instead of holding the worker.
         */
        private Object invokeOnString(RenderBudget budget, String text, Object[] params)
                throws IllegalAccessException, InvocationTargetException {
            String name = getMethodName();
            boolean stringArgs = Arrays.stream(params).allMatch(param -> param instanceof String);
            if (!stringArgs && !(name.equals("split") && params.length == 2 && params[0] instanceof String
                    && params[1] instanceof Number)) {
                return delegate.invoke(text, params);
            }
            try {
                switch (name) {
                    case "replace" -> {
                        if (params.length == 2) {
                            String target = (String) params[0];
                            String replacement = (String) params[1];
                            long matches = text.length() / Math.max(1, target.length()) + 1;
                            refuseGrowth(budget, text.length() + matches * replacement.length());
                        }
                        return delegate.invoke(text, params);
                    }
                    case "replaceAll", "replaceFirst" -> {
                        String replacement = (String) params[1];
                        // Each $n in a replacement can copy the whole text again.
                        long perMatch = replacement.indexOf('$') >= 0 ? (long) replacement.length() * Math.max(1, text.length())
                                : replacement.length();
                        long matches = name.equals("replaceAll") ? text.length() + 1 : 1;
                        refuseGrowth(budget, text.length() + matches * perMatch);
                        var matcher = Pattern.compile((String) params[0]).matcher(new TimedText(text, budget, where));
                        return name.equals("replaceAll") ? matcher.replaceAll(replacement) : matcher.replaceFirst(replacement);
                    }
                    case "matches" -> {
                        return Pattern.compile((String) params[0]).matcher(new TimedText(text, budget, where)).matches();
                    }
                    case "split" -> {
                        int limit = params.length == 2 ? ((Number) params[1]).intValue() : 0;
                        return Pattern.compile((String) params[0]).split(new TimedText(text, budget, where), limit);
                    }
                    default -> {
                        return delegate.invoke(text, params);
                    }
                }
            } catch (TemplateRenderException e) {
                throw e;
            } catch (RuntimeException e) {
                // Reported like any exception a method throws: Velocity names the method and the place.
                throw new InvocationTargetException(e);
            }
        }

        private void refuseGrowth(RenderBudget budget, long possibleLength) {
            if (possibleLength > budget.maxStringLength()) {
                throw new TemplateRenderException(getMethodName() + "() could build a string of up to " + possibleLength
                        + " characters, more than the " + budget.maxStringLength()
                        + " a file may have (RenderLimits.maxFileBytes) at " + where);
            }
        }

        @Override
        public boolean isCacheable() {
            return delegate.isCacheable();
        }

        @Override
        public String getMethodName() {
            return delegate.getMethodName();
        }

        @Override
        public Method getMethod() {
            return delegate.getMethod();
        }

        @Override
        public Class<?> getReturnType() {
            return delegate.getReturnType();
        }
    }

    /** A string as regular expressions read it, stopping them once the render is out of time. */
    private record TimedText(String text, RenderBudget budget, String where) implements CharSequence {

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            budget.checkTime(where);
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private record GuardedGet(VelPropertyGet delegate, String where) implements VelPropertyGet {

        @Override
        public Object invoke(Object target) throws Exception {
            RenderBudget.current().checkTime(where);
            return delegate.invoke(target);
        }

        @Override
        public boolean isCacheable() {
            return delegate.isCacheable();
        }

        @Override
        public String getMethodName() {
            return delegate.getMethodName();
        }
    }

    private record MapEntryGet(String key) implements VelPropertyGet {

        @Override
        public Object invoke(Object target) {
            return ((Map<?, ?>) target).get(key);
        }

        @Override
        public boolean isCacheable() {
            return true;
        }

        @Override
        public String getMethodName() {
            return "get";
        }
    }

    private record MapEntrySet(String key) implements VelPropertySet {

        @Override
        @SuppressWarnings("unchecked")
        public Object invoke(Object target, Object value) {
            return ((Map<Object, Object>) target).put(key, value);
        }

        @Override
        public boolean isCacheable() {
            return true;
        }

        @Override
        public String getMethodName() {
            return "put";
        }
    }

    private record ComponentGet(RecordComponent component) implements VelPropertyGet {

        @Override
        public Object invoke(Object target) throws Exception {
            return component.getAccessor().invoke(target);
        }

        @Override
        public boolean isCacheable() {
            return true;
        }

        @Override
        public String getMethodName() {
            return component.getName();
        }
    }
}

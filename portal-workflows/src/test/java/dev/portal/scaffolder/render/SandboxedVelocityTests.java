package dev.portal.scaffolder.render;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxedVelocityTests {

    private static final RunData RUN = new RunData("0b6f3f52-2f1e-4c36-9d0e-0d5c0e0e6f00", "template:default/service",
            "Service", "etag-1@3", "user:default/alice");

    private final SandboxedVelocity velocity = new SandboxedVelocity(RenderLimits.defaults());

    private static TemplateModel model(Map<String, Object> values) {
        return new TemplateModel(values, RUN);
    }

    private String render(String template) {
        return velocity.render("src/App.java", template, model(Map.of("name", "orders", "tags", List.of("a", "b"),
                "db", Map.of("engine", "postgres"), "replicas", 3, "public", true)));
    }

    @Test
    void rendersValuesRunAndHarmlessMethods() {
        String out = render("""
                $values.name.toUpperCase() ${values.db.engine} $values.replicas $values.public
                tags: #foreach($tag in $values.tags)$tag#if($foreach.hasNext),#end#end.
                $run.id $run.templateRef $run.templateVersion() $values.name.replaceAll('[aeiou]', '_')
                #set($csv = 'a-b-c')#foreach($part in $csv.split('-'))[$part]#end $values.keySet().size()
                """);

        assertThat(out).isEqualTo("""
                ORDERS postgres 3 true
                tags: a,b.
                0b6f3f52-2f1e-4c36-9d0e-0d5c0e0e6f00 template:default/service etag-1@3 _rd_rs
                [a][b][c] 5
                """);
    }

    @Test
    void anUndefinedReferenceIsAnErrorNamingTheFileLineAndReference() {
        assertThatThrownBy(() -> render("line one\n  $valuez.name"))
                .isInstanceOf(TemplateRenderException.class)
                .hasMessageContaining("$valuez")
                .hasMessageContaining("src/App.java[line 2, column 3]");
        assertThatThrownBy(() -> render("$values.missing"))
                .hasMessageContaining("$values.missing")
                .hasMessageContaining("src/App.java");
    }

    @Test
    void quietAndEscapedReferencesAreTheWayToWriteOptionalValuesAndLiteralPlaceholders() {
        assertThat(render("[$!values.missing] \\${server.port}")).isEqualTo("[] ${server.port}");
    }

    @Test
    void getClassAndForNameAreRefusedWithAClearError() {
        assertThatThrownBy(() -> render("$values.name.getClass().forName('java.lang.Runtime')"))
                .isInstanceOf(TemplateRenderException.class)
                .hasMessageContaining("templates may not call getClass() on a string")
                .hasMessageContaining("src/App.java[line 1");
        assertThatThrownBy(() -> render("$values.name.class"))
                .hasMessageContaining("templates may not read .class of a string");
        assertThatThrownBy(() -> render("$values.getClass()"))
                .hasMessageContaining("templates may not call getClass() on a map");
    }

    @Test
    void staticAndUnlistedMethodsAreRefused() {
        assertThatThrownBy(() -> render("$values.name.format('%s', 1)"))
                .hasMessageContaining("templates may not call format() on a string");
        assertThatThrownBy(() -> render("$values.name.getBytes()"))
                .hasMessageContaining("templates may not call getBytes() on a string");
        assertThatThrownBy(() -> render("$values.replicas.getClass()"))
                .hasMessageContaining("templates may not call getClass() on a number");
    }

    @Test
    void objectsOutsideTheAllowListCannotBeUsed() {
        TemplateModel model = new TemplateModel(Map.of("thread", Thread.currentThread()), RUN);

        assertThatThrownBy(() -> velocity.render("x", "$values.thread.getName()", model))
                .hasMessageContaining("templates may not call getName() on objects of type java.lang.Thread");
    }

    @Test
    void includeParseAndEvaluateAreRefusedWhenTheTemplateIsParsed() {
        assertThatThrownBy(() -> render("#include(\"/etc/passwd\")"))
                .isInstanceOf(TemplateRenderException.class)
                .hasMessageContaining("#include is not allowed in templates: templates may not read files");
        assertThatThrownBy(() -> render("#if(false)#parse(\"/etc/passwd\")#end"))
                .hasMessageContaining("#parse is not allowed in templates");
        assertThatThrownBy(() -> render("#set($t = '#evaluate($t)')#evaluate($t)"))
                .hasMessageContaining("#evaluate is not allowed in templates");
    }

    @Test
    void aLoopRunningMoreThanTheLimitFailsInsteadOfStoppingSilently() {
        SandboxedVelocity small = new SandboxedVelocity(RenderLimits.defaults().withMaxLoopIterations(10));

        assertThat(small.render("x", "#foreach($i in [1..10])$i#end", model(Map.of()))).isEqualTo("12345678910");
        assertThatThrownBy(() -> small.render("x", "#foreach($i in [1..11])$i#end", model(Map.of())))
                .hasMessageContaining("#foreach ran more than 10 times (RenderLimits.maxLoopIterations) at x[line 1, column 1]");
    }

    @Test
    void nestedLoopsAreHeldToTheIterationsOfTheWholeFile() {
        SandboxedVelocity small = new SandboxedVelocity(new RenderLimits(10, 1024, 4096, 100, 500, Duration.ofSeconds(10)));

        assertThatThrownBy(() -> small.render("x", "#foreach($i in [1..100])#foreach($j in [1..100])#end#end", model(Map.of())))
                .hasMessageContaining("loops ran more than 500 times in all (RenderLimits.maxIterationsPerFile)");
    }

    @Test
    void stringsCannotGrowPastTheFileSizeLimit() {
        SandboxedVelocity small = new SandboxedVelocity(RenderLimits.defaults().withMaxBytes(1000, 10_000));

        assertThatThrownBy(() -> small.render("x", "#set($s = 'abcdefghij')#foreach($i in [1..20])#set($s = \"$s$s\")#end",
                model(Map.of())))
                .hasMessageContaining("more than the 1000 a file may have");
        assertThatThrownBy(() -> small.render("x", "#set($s = 'abcdefghij')#foreach($i in [1..20])#set($s = $s.concat($s))#end",
                model(Map.of())))
                .hasMessageContaining("concat()");
        assertThatThrownBy(() -> small.render("x", "#foreach($i in [1..2000])x#end", model(Map.of())))
                .hasMessageContaining("renders to more than 1000 characters");
    }

    @Test
    void blocksCannotRecurseOrDoubleWithoutBound() {
        SandboxedVelocity small = new SandboxedVelocity(RenderLimits.defaults().withMaxBytes(1000, 10_000));
        StringBuilder doubling = new StringBuilder("#define($d0)0123456789#end");
        for (int i = 1; i <= 12; i++) {
            doubling.append("#define($d").append(i).append(")$d").append(i - 1).append("$d").append(i - 1).append("#end");
        }
        doubling.append("#set($s = \"$d12\")");

        assertThatThrownBy(() -> small.render("x", doubling.toString(), model(Map.of())))
                .hasMessageContaining("more than 1000 characters");
        // Velocity stops a block that renders itself at directive.define.max_depth
        assertThat(small.render("x", "#define($d)x$d#end$d", model(Map.of()))).matches("x{1,3}");
    }

    @Test
    void recordsShowTheirComponentsAndNothingElse() {
        assertThat(render("$run.requester $run.requester()")).isEqualTo("user:default/alice user:default/alice");
        assertThatThrownBy(() -> render("$run.getClass()"))
                .hasMessageContaining("templates may not call getClass() on a record");
        assertThatThrownBy(() -> render("#foreach($i in [1])$foreach.getInfo()#end"))
                .hasMessageContaining("templates may not call getInfo() on the $foreach scope");
    }

    @Test
    void aCatastrophicRegularExpressionStopsAtTheTimeLimit() {
        SandboxedVelocity quick = new SandboxedVelocity(new RenderLimits(10, 1 << 20, 1 << 22, 100, 1000, Duration.ofMillis(200)));
        TemplateModel model = model(Map.of("text", "a".repeat(30) + "b"));

        assertThatThrownBy(() -> quick.render("x", "$values.text.matches('(.*a){12}')", model))
                .hasMessageContaining("took longer than 200 ms (RenderLimits.maxRenderTimePerFile)");
    }

    @Test
    void valuesAreReadOnly() {
        TemplateModel model = TemplateModel.of(Runs.run(Runs.fileTemplate(null, null),
                Runs.json("{\"name\":\"orders\"}")), null);

        assertThatThrownBy(() -> velocity.render("x", "#set($values.name = 'other')", model))
                .isInstanceOf(TemplateRenderException.class);
        assertThat(velocity.render("x", "#set($copy = {})#set($copy.name = 'other')$copy.name", model)).isEqualTo("other");
    }

    @Test
    void macrosOfOneFileAreNotSeenByAnother() {
        velocity.render("a", "#macro(greet)hello#end#greet()", model(Map.of()));

        assertThatThrownBy(() -> velocity.render("b", "#greet()", model(Map.of())))
                .isInstanceOf(TemplateRenderException.class);
    }

    @Test
    void aSyntaxErrorNamesTheFileAndLine() {
        assertThatThrownBy(() -> render("ok\n#if($values.name"))
                .hasMessageStartingWith("syntax error at src/App.java[line 2");
    }
}

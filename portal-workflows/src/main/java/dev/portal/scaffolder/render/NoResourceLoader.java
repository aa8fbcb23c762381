package dev.portal.scaffolder.render;

import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.runtime.resource.Resource;
import org.apache.velocity.runtime.resource.loader.ResourceLoader;
import org.apache.velocity.util.ExtProperties;

import java.io.Reader;

/**
 * The only resource loader of {@link SandboxedVelocity}: it finds nothing. The directives that load
 * resources are refused already; this makes sure nothing else in Velocity can reach a file either.
 *
 * <p>Public only because Velocity instantiates resource loaders by class name; not for use elsewhere.
 */
public final class NoResourceLoader extends ResourceLoader {

    @Override
    public void init(ExtProperties configuration) {
    }

    @Override
    public Reader getResourceReader(String source, String encoding) {
        throw new ResourceNotFoundException("templates may not load '" + source + "': sandboxed templates read no files");
    }

    @Override
    public boolean isSourceModified(Resource resource) {
        return false;
    }

    @Override
    public long getLastModified(Resource resource) {
        return 0;
    }
}

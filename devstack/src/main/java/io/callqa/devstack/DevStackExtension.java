package io.callqa.devstack;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving integration tests one shared {@link DevStack} per test run: started on
 * first use, stopped when the run ends (and by a shutdown hook if the run is killed).
 *
 * <pre>{@code
 * @ExtendWith(DevStackExtension.class)
 * class MyITCase {
 *   @Test void works(DevStack stack) { ... stack.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class DevStackExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(DevStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    stack(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DevStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return stack(context);
  }

  private static DevStack stack(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("stack", k -> new Shared(DevStack.start()), Shared.class)
        .stack;
  }

  /** Closed by JUnit when the root context closes, at the end of the run. */
  private record Shared(DevStack stack) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      stack.close();
    }
  }
}

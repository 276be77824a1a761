package dev.sieve.annotate;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.util.Map;

/**
 * Server-side HTML from Mustache templates ({@code templates/*.mustache}): logic-less, and every
 * {@code {{value}}} is HTML-escaped, so item text, URLs and notes (all untrusted) never become
 * markup. The page shell is the {@code layout} partial.
 */
final class Views {

  private final MustacheFactory factory = new DefaultMustacheFactory("templates");

  String render(String name, Map<String, Object> model) {
    Mustache m = factory.compile(name + ".mustache");
    StringWriter w = new StringWriter();
    m.execute(w, model);
    return w.toString();
  }
}

package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.io.BuildReport;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * MedQuAD: NIH/CDC health documents, each a list of question/answer pairs. One record per answer
 * (the answers are the real page text, about a page section each; the questions are templates the
 * dataset authors generated and are not used). {@code group} = the document, so the sections of one
 * page never span splits; repeated answers within a document collapse in de-duplication.
 *
 * <p>Every answer is ordinary text. The documents whose focus is sexual health or self-harm help
 * ({@link #SEX_EDUCATION_FOCUS}, {@link #SELF_HARM_HELP_FOCUS}) label all their answers with the
 * help category; other answers get it by the topic rules ({@link TopicRules}).
 *
 * <p>Build-report entries of the archive: one per non-empty answer (the unit a record and a
 * de-duplicated copy are), plus one per document that yields none (unparseable XML, no answers);
 * the line of an issue is the document's position in the archive.
 */
public final class MedquadSource extends OrdinaryTextSource {

  static final String ARCHIVE = "medquad_xml_selected_collections.tar.gz";

  /** MedlinePlus topics that are sex education (sexual and reproductive health, LGBTQ+ health). */
  public static final Set<String> SEX_EDUCATION_FOCUS =
      Set.of(
          "Birth Control",
          "Sexual Health",
          "Teen Sexual Health",
          "Sexually Transmitted Diseases",
          "Gay, Lesbian, Bisexual and Transgender Health",
          "Puberty",
          "Sexual Problems in Men",
          "Sexual Problems in Women",
          "Erectile Dysfunction",
          "Chlamydia Infections",
          "Gonorrhea",
          "Syphilis",
          "Genital Herpes",
          "HPV",
          "Sexual Assault",
          "Child Sexual Abuse",
          "Teen Development",
          "Teenage Pregnancy");

  /** MedlinePlus topics that are self-harm help and prevention. */
  public static final Set<String> SELF_HARM_HELP_FOCUS =
      Set.of("Suicide", "Self-harm", "Eating Disorders", "Teen Mental Health");

  @Override
  public String id() {
    return "ordinary/medquad";
  }

  @Override
  protected String backgroundCategory() {
    return "answer";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    Optional<TarArchive> archive = tarArchive(ctx, ARCHIVE);
    if (archive.isEmpty()) {
      return out;
    }
    String label = archive.get().label();
    Map<String, String> entries = archive.get().entries();
    DocumentBuilder xml = parser();
    long line = 0;
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      if (!entry.getKey().endsWith(".xml")) {
        continue;
      }
      line++;
      Document doc;
      try {
        doc = xml.parse(new InputSource(new StringReader(entry.getValue())));
      } catch (SAXException | IOException e) {
        ctx.report().file(label).lines++;
        ctx.report()
            .invalid(
                label, line, BuildReport.Kind.MALFORMED_LINE, "xml_not_parseable", entry.getKey());
        continue;
      }
      Element root = doc.getDocumentElement();
      String collection =
          entry.getKey().contains("/")
              ? entry.getKey().substring(0, entry.getKey().indexOf('/'))
              : "";
      String docId = collection + "/" + root.getAttribute("id");
      // A long document is split over several files that share its id (0000013_2.xml,
      // 0000013_2_1.xml,
      // ...): record ids use the file, the split group the document.
      String fileName = entry.getKey().substring(entry.getKey().lastIndexOf('/') + 1);
      String fileId = collection + "/" + fileName.substring(0, fileName.length() - ".xml".length());
      String focus = text(root, "Focus");
      boolean sexEd = SEX_EDUCATION_FOCUS.contains(focus);
      boolean help = SELF_HARM_HELP_FOCUS.contains(focus);
      NodeList pairs = root.getElementsByTagName("QAPair");
      int kept = 0;
      for (int i = 0; i < pairs.getLength(); i++) {
        Element pair = (Element) pairs.item(i);
        String answer = TextCleaner.clean(text(pair, "Answer"));
        if (answer.isEmpty()) {
          continue;
        }
        // A pair without a question element is still an answer (the questions are not used).
        NodeList question = pair.getElementsByTagName("Question");
        String qtype =
            question.getLength() == 0 ? "" : ((Element) question.item(0)).getAttribute("qtype");
        TextDraft d =
            located(
                ordinary(
                    ctx,
                    id() + ":" + fileId + "-" + pair.getAttribute("pid"),
                    "health_page",
                    answer,
                    sexEd,
                    help),
                label,
                line);
        d.group = "medquad:" + docId;
        d.meta.put("collection", collection);
        d.meta.put("focus", focus);
        if (!qtype.isEmpty()) {
          d.meta.put("qtype", qtype);
        }
        d.meta.put("url", root.getAttribute("url"));
        out.add(d);
        ctx.report().file(label).lines++;
        ctx.report().file(label).accepted++;
        kept++;
      }
      if (kept == 0) {
        ctx.report().file(label).lines++;
        ctx.report()
            .invalid(label, line, BuildReport.Kind.INVALID_ENTRY, "no_answers", entry.getKey());
      }
    }
    return out;
  }

  private static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
  }

  /** A DOM parser that resolves no external entities or DTDs (raw files are untrusted input). */
  private static DocumentBuilder parser() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setExpandEntityReferences(false);
      return f.newDocumentBuilder();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("no secure XML parser", e);
    }
  }
}

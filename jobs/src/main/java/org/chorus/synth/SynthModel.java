package org.chorus.synth;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The generative model behind {@code chorus synth}, as pure functions of (seed, entity index): any executor can
 * compute any participant, statement, vote, comparison or prompt without coordination, so generation is parallel
 * and the same seed gives the same data on any cluster layout.
 *
 * <ul>
 *   <li>Participants fall into G latent opinion groups with uneven shares (G, G-1, ..., 1 normalised); their
 *       demographics depend on the group, so an online sample is unrepresentative in a known way.</li>
 *   <li>Statements are consensus (every group agrees often), divisive (each group leans its own way) or noise;
 *       each group has agree/disagree/pass probabilities.</li>
 *   <li>Activity is skewed: votes per participant are log-normal (sigma 0.8) around the requested mean, on
 *       distinct statements.</li>
 *   <li>Comparisons follow per-group Bradley-Terry strengths: theta_g,i = common_i + deviation_g,i.</li>
 *   <li>Prompts are 50-70 words from one of T topics; about 10% are planted near-duplicates of an earlier prompt
 *       (exact copy, case, spacing, punctuation or a one-word edit).</li>
 * </ul>
 */
public final class SynthModel implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long BASE_MILLIS = 1767225600000L; // 2026-01-01T00:00:00Z
  static final double ACTIVITY_SIGMA = 0.8;
  static final double TIE_PROBABILITY = 0.05;
  static final double DUPLICATE_SHARE = 0.10;
  static final String[] EDITS = {"exact", "case", "spacing", "punctuation", "word"};

  public static final Map<String, String[]> DEMOGRAPHICS = new LinkedHashMap<>();

  static {
    DEMOGRAPHICS.put("age_bracket", new String[] {"18-29", "30-44", "45-59", "60+"});
    DEMOGRAPHICS.put("gender", new String[] {"female", "male", "other"});
    DEMOGRAPHICS.put("region", new String[] {"north", "south", "east", "west"});
    DEMOGRAPHICS.put("education", new String[] {"secondary", "tertiary"});
  }

  private static final double[][] DEMOGRAPHIC_BASE = {
      {0.22, 0.28, 0.27, 0.23}, {0.50, 0.47, 0.03}, {0.25, 0.25, 0.25, 0.25}, {0.6, 0.4}};

  private final SynthParams p;
  private final double[] groupShares;
  private transient double[][][] profiles; // [statement][group][agree, disagree, pass]

  public SynthModel(SynthParams params) {
    this.p = params;
    this.groupShares = new double[params.groups()];
    double total = 0;
    for (int g = 0; g < params.groups(); g++) {
      groupShares[g] = params.groups() - g;
      total += groupShares[g];
    }
    for (int g = 0; g < params.groups(); g++) {
      groupShares[g] /= total;
    }
  }

  public SynthParams params() {
    return p;
  }

  public double[] groupShares() {
    return groupShares.clone();
  }

  /** A generator for one entity of one stream: SplitMix64 of (seed, stream, index). */
  static SplittableRandom rng(long seed, long stream, long index) {
    long h = mix(seed ^ mix(stream * 0x9E3779B97F4A7C15L + index));
    return new SplittableRandom(h);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static final long GROUP = 1;
  private static final long DEMOGRAPHIC = 2;
  private static final long STATEMENT = 3;
  private static final long VOTES = 4;
  private static final long ITEM = 5;
  private static final long COMPARISON = 6;
  private static final long PROMPT = 7;

  // ---- participants ----

  public int groupOf(long participant) {
    double u = rng(p.seed(), GROUP, participant).nextDouble();
    return pick(groupShares, u);
  }

  public Map<String, String> demographicsOf(long participant, int group) {
    SplittableRandom r = rng(p.seed(), DEMOGRAPHIC, participant);
    Map<String, String> out = new LinkedHashMap<>();
    int d = 0;
    for (Map.Entry<String, String[]> e : DEMOGRAPHICS.entrySet()) {
      double[] probs = tilted(DEMOGRAPHIC_BASE[d], group, d);
      out.put(e.getKey(), e.getValue()[pick(probs, r.nextDouble())]);
      d++;
    }
    return out;
  }

  /** Group g's distribution of dimension d: the base shares tilted by exp(0.8 cos(2.1 g + 1.7 k + d)). */
  static double[] tilted(double[] base, int group, int dimension) {
    double[] w = new double[base.length];
    double total = 0;
    for (int k = 0; k < base.length; k++) {
      w[k] = base[k] * Math.exp(0.8 * Math.cos(2.1 * group + 1.7 * k + dimension));
      total += w[k];
    }
    for (int k = 0; k < w.length; k++) {
      w[k] /= total;
    }
    return w;
  }

  // ---- statements ----

  public String statementKind(int statement) {
    double u = rng(p.seed(), STATEMENT, statement).nextDouble();
    return u < 0.2 ? "consensus" : u < 0.7 ? "divisive" : "noise";
  }

  /** Agree, disagree and pass probabilities of group g on statement s. */
  public double[] profile(int statement, int group) {
    if (profiles == null) {
      profiles = new double[p.statements()][][];
    }
    if (profiles[statement] == null) {
      profiles[statement] = computeProfiles(statement);
    }
    return profiles[statement][group];
  }

  private double[][] computeProfiles(int statement) {
    SplittableRandom r = rng(p.seed(), STATEMENT, statement);
    double u = r.nextDouble(); // the same draw statementKind uses
    double[][] out = new double[p.groups()][];
    for (int g = 0; g < p.groups(); g++) {
      double pass = 0.08 + 0.22 * r.nextDouble();
      double agreeShare;
      if (u < 0.2) {
        agreeShare = 0.80 + 0.15 * r.nextDouble();
      } else if (u < 0.7) {
        agreeShare = r.nextBoolean() ? 0.78 + 0.17 * r.nextDouble() : 0.05 + 0.17 * r.nextDouble();
      } else {
        agreeShare = 0.4 + 0.2 * r.nextDouble();
      }
      out[g] = new double[] {(1 - pass) * agreeShare, (1 - pass) * (1 - agreeShare), pass};
    }
    return out;
  }

  public int moderated(int statement) {
    double u = rng(p.seed(), STATEMENT + 100, statement).nextDouble();
    return u < 0.05 ? -1 : u < 0.15 ? 0 : 1;
  }

  public boolean isMeta(int statement) {
    return rng(p.seed(), STATEMENT + 200, statement).nextDouble() < 0.02;
  }

  public boolean isSeed(int statement) {
    return statement < Math.min(5, p.statements());
  }

  public long authorOf(int statement) {
    return isSeed(statement) ? 0 : Math.floorMod(rng(p.seed(), STATEMENT + 300, statement).nextLong(), p.participants());
  }

  public String statementText(int statement) {
    String kind = statementKind(statement);
    return String.format(Locale.ROOT, "Synthetic statement %d (%s): the assistant should %s.", statement, kind,
        POLICY_PHRASES[statement % POLICY_PHRASES.length]);
  }

  public long statementCreatedMillis(int statement) {
    return BASE_MILLIS + statement * 60_000L;
  }

  /** What statements ask of the assistant; five name words of prompt topics, so a policy can be matched to them. */
  private static final String[] POLICY_PHRASES = {
      "explain its reasoning before giving advice", "refuse to help with weapons",
      "respect user privacy about salary, bank and debt details", "admit uncertainty",
      "avoid taking sides on elections", "cite sources for medicine, treatment and diagnosis claims",
      "follow the law on contract and court questions", "treat all cultures with respect",
      "protect children doing homework for school", "be as helpful as possible",
      "warn about risky activities such as travel without a visa", "keep conversations confidential"};

  // ---- votes ----

  /** How many statements participant p votes on: log-normal around the mean, in [1, statements]. */
  public int activity(long participant) {
    SplittableRandom r = rng(p.seed(), VOTES, participant);
    double z = gaussian(r);
    double n = p.votesPerParticipant() * Math.exp(ACTIVITY_SIGMA * z - ACTIVITY_SIGMA * ACTIVITY_SIGMA / 2);
    return (int) Math.max(1, Math.min(p.statements(), Math.round(n)));
  }

  /** The votes of one participant: {statement, vote, millis} triples, statements distinct and in voting order. */
  public long[][] votesOf(long participant) {
    int n = activity(participant);
    int group = groupOf(participant);
    SplittableRandom r = rng(p.seed(), VOTES + 1000, participant);
    int[] chosen = distinct(r, p.statements(), n);
    long start = BASE_MILLIS + Math.floorMod(r.nextLong(), 30L * 24 * 3600 * 1000);
    long[][] out = new long[n][];
    long t = start;
    for (int k = 0; k < n; k++) {
      int s = chosen[k];
      double[] pr = profile(s, group);
      double u = r.nextDouble();
      int vote = u < pr[0] ? 1 : u < pr[0] + pr[1] ? -1 : 0;
      t += 5_000 + r.nextInt(55_000);
      out[k] = new long[] {s, vote, t};
    }
    return out;
  }

  /** n distinct values of [0, m), in random order (Floyd's algorithm, then shuffled). */
  static int[] distinct(SplittableRandom r, int m, int n) {
    if (n * 3L > m) {
      int[] all = new int[m];
      for (int i = 0; i < m; i++) {
        all[i] = i;
      }
      for (int i = 0; i < n; i++) {
        int j = i + r.nextInt(m - i);
        int tmp = all[i];
        all[i] = all[j];
        all[j] = tmp;
      }
      return Arrays.copyOf(all, n);
    }
    java.util.HashSet<Integer> set = new java.util.HashSet<>(n * 2);
    int[] out = new int[n];
    int k = 0;
    for (int j = m - n; j < m; j++) {
      int t = r.nextInt(j + 1);
      int v = set.contains(t) ? j : t;
      set.add(v);
      out[k++] = v;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  // ---- comparisons ----

  /** Bradley-Terry log-strength of response r of prompt k for group g: common + group deviation. */
  public double strength(int prompt, int response, int group) {
    SplittableRandom r = rng(p.seed(), ITEM, (long) prompt * p.responsesPerPrompt() + response);
    double common = gaussian(r);
    double deviation = 0;
    for (int g = 0; g <= group; g++) {
      deviation = 0.8 * gaussian(r);
    }
    return common + deviation;
  }

  /** Population log-strength: the share-weighted mean of the group strengths. */
  public double populationStrength(int prompt, int response) {
    double s = 0;
    for (int g = 0; g < p.groups(); g++) {
      s += groupShares[g] * strength(prompt, response, g);
    }
    return s;
  }

  /** One comparison: {rater, prompt, response a, response b, outcome (0 a, 1 b, 2 tie)}. */
  public long[] comparison(long index) {
    SplittableRandom r = rng(p.seed(), COMPARISON, index);
    long rater = Math.floorMod(r.nextLong(), p.participants());
    int group = groupOf(rater);
    int prompt = r.nextInt(p.comparisonPrompts());
    int a = r.nextInt(p.responsesPerPrompt());
    int b = r.nextInt(p.responsesPerPrompt() - 1);
    if (b >= a) {
      b++;
    }
    double pa = 1 / (1 + Math.exp(strength(prompt, b, group) - strength(prompt, a, group)));
    double u = r.nextDouble();
    int outcome = u < TIE_PROBABILITY ? 2 : (u - TIE_PROBABILITY) / (1 - TIE_PROBABILITY) < pa ? 0 : 1;
    return new long[] {rater, prompt, a, b, outcome};
  }

  public static String comparisonPromptId(int prompt) {
    return "sp" + prompt;
  }

  public static String responseId(int prompt, int response) {
    return "sp" + prompt + "-r" + response;
  }

  public String comparisonPromptText(int prompt) {
    return String.format(Locale.ROOT, "Synthetic prompt %d: how should the assistant handle a request about %s?",
        prompt, POLICY_PHRASES[prompt % POLICY_PHRASES.length]);
  }

  static final String[] TONES = {"dismissive", "curt", "vague", "plain", "clear", "careful", "thorough"};

  /**
   * A response's text. Its tone word follows the response's common log-strength (the part every group shares), so a
   * reward model can learn from the words what raters prefer; the style number is noise.
   */
  public String responseText(int prompt, int response) {
    double common = gaussian(rng(p.seed(), ITEM, (long) prompt * p.responsesPerPrompt() + response));
    int tone = (int) Math.max(0, Math.min(TONES.length - 1, Math.round(1.5 * common) + TONES.length / 2));
    return String.format(Locale.ROOT, "Synthetic response %d to prompt %d: a %s answer, style %d.", response, prompt,
        TONES[tone],
        Math.floorMod(rng(p.seed(), ITEM + 50, (long) prompt * p.responsesPerPrompt() + response).nextInt(), 7));
  }

  // ---- prompt corpus ----

  static final String[][] TOPIC_WORDS = {
      {"doctor", "symptoms", "medicine", "fever", "diagnosis", "treatment", "vaccine", "allergy", "dose", "clinic",
          "blood", "pressure", "therapy", "nurse", "infection", "recovery", "pain", "sleep", "diet", "hospital"},
      {"mortgage", "savings", "budget", "interest", "loan", "invest", "stocks", "pension", "taxes", "credit",
          "debt", "inflation", "salary", "bank", "insurance", "dividend", "portfolio", "rent", "fees", "income"},
      {"recipe", "oven", "garlic", "bake", "flour", "sauce", "simmer", "roast", "spices", "dough", "onion",
          "butter", "grill", "vegetables", "dessert", "soup", "kitchen", "pasta", "salt", "pepper"},
      {"flight", "passport", "hotel", "luggage", "visa", "itinerary", "beach", "museum", "train", "airport",
          "booking", "tourist", "map", "hostel", "cruise", "mountains", "guide", "currency", "border", "ticket"},
      {"python", "compiler", "function", "variable", "database", "server", "debugging", "algorithm", "array",
          "thread", "memory", "library", "framework", "syntax", "deploy", "query", "class", "interface", "git",
          "exception"},
      {"contract", "lawyer", "court", "tenant", "lawsuit", "liability", "copyright", "judge", "evidence",
          "statute", "appeal", "custody", "verdict", "rights", "license", "fine", "regulation", "claim",
          "settlement", "witness"},
      {"homework", "teacher", "exam", "classroom", "essay", "university", "lecture", "grades", "curriculum",
          "student", "tutor", "school", "reading", "scholarship", "semester", "diploma", "lesson", "quiz",
          "professor", "study"},
      {"carbon", "emissions", "solar", "warming", "recycling", "drought", "glacier", "renewable", "wind",
          "pollution", "forest", "ocean", "climate", "energy", "methane", "flood", "biodiversity", "battery",
          "wildlife", "temperature"}};

  static final String[] FILLER = {"the", "a", "and", "of", "to", "in", "for", "with", "on", "about", "my", "what",
      "how", "can", "should", "is", "it", "this", "that", "would", "you", "please", "explain", "help", "me",
      "best", "way", "when", "why", "could", "some", "more", "need", "know", "really", "think", "also", "very"};

  public boolean isPlantedDuplicate(long prompt) {
    return prompt > 0 && rng(p.seed(), PROMPT, prompt).nextDouble() < DUPLICATE_SHARE;
  }

  /** The original a planted duplicate copies (never itself a duplicate), or -1 for an original. */
  public long originalOf(long prompt) {
    if (!isPlantedDuplicate(prompt)) {
      return -1;
    }
    SplittableRandom r = rng(p.seed(), PROMPT + 1, prompt);
    long o = Math.floorMod(r.nextLong(), prompt);
    while (isPlantedDuplicate(o)) {
      o = Math.floorMod(r.nextLong(), Math.max(1, o));
    }
    return o;
  }

  public String editOf(long prompt) {
    return isPlantedDuplicate(prompt) ? EDITS[(int) Math.floorMod(mix(p.seed() + prompt), EDITS.length)] : null;
  }

  public int topicOf(long prompt) {
    long o = originalOf(prompt);
    long src = o >= 0 ? o : prompt;
    return (int) Math.floorMod(rng(p.seed(), PROMPT + 2, src).nextLong(), p.topics());
  }

  public String promptText(long prompt) {
    long o = originalOf(prompt);
    if (o < 0) {
      return originalText(prompt);
    }
    return applyEdit(originalText(o), editOf(prompt), rng(p.seed(), PROMPT + 3, prompt));
  }

  private String originalText(long prompt) {
    SplittableRandom r = rng(p.seed(), PROMPT + 4, prompt);
    int topic = topicOf(prompt);
    String[] words = topic < TOPIC_WORDS.length ? TOPIC_WORDS[topic] : null;
    int n = 50 + r.nextInt(21);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (r.nextDouble() < 0.55) {
        out.add(words != null ? words[r.nextInt(words.length)] : "topic" + topic + "term" + r.nextInt(25));
      } else {
        out.add(FILLER[r.nextInt(FILLER.length)]);
      }
    }
    String text = String.join(" ", out);
    return Character.toUpperCase(text.charAt(0)) + text.substring(1) + "?";
  }

  static String applyEdit(String text, String edit, SplittableRandom r) {
    switch (edit) {
      case "exact":
        return text;
      case "case":
        return r.nextBoolean() ? text.toUpperCase(Locale.ROOT) : text.toLowerCase(Locale.ROOT);
      case "spacing":
        return "  " + text.replace(" ", r.nextBoolean() ? "  " : " \t ") + " ";
      case "punctuation": {
        String[] w = text.split(" ");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
          sb.append(i == 0 ? "" : " ").append(w[i]);
          if (i % 9 == 8) {
            sb.append(r.nextBoolean() ? "," : ";");
          }
        }
        return sb.toString().replace("?", "!?");
      }
      default: {
        String[] w = text.split(" ");
        int i = r.nextInt(w.length);
        w[i] = w[i].equals("about") ? "regarding" : "about";
        return String.join(" ", w);
      }
    }
  }

  // ---- helpers ----

  static int pick(double[] probs, double u) {
    double c = 0;
    for (int i = 0; i < probs.length; i++) {
      c += probs[i];
      if (u < c) {
        return i;
      }
    }
    return probs.length - 1;
  }

  static double gaussian(SplittableRandom r) {
    // Box-Muller; one value per call keeps draws a pure function of position in the stream
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}

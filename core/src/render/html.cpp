#include "importspy/render/html.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "importspy/render/batch.hpp"
#include "importspy/report/chain_groups.hpp"
#include "importspy/util/html.hpp"

namespace importspy {
namespace {

// Where a violation is in the code: an architecture rule's at the first import of its first chain (its
// target is the contract), any other's in the target's module (module_line); line 0 when nowhere.
std::pair<std::string, int> code_place(const Violation& v, const std::string& file) {
  if (v.code.starts_with("architecture-") && !v.chains.empty() && !v.chains[0][0].file.empty()) return {v.chains[0][0].file, v.chains[0][0].line};
  return {file, module_line(v, file)};
}

using json = nlohmann::json;

constexpr int kSourceContext = 2;       // lines shown before and after a module's line
constexpr int kContractBlock = 5;       // at most this many lines of a rule's own block
constexpr std::size_t kLineWidth = 240;  // longer lines are cut (a minified file must not bloat the page)

std::optional<std::string> read_from_disk(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The files the excerpts come from, each read once and split into lines.
class Files {
public:
  explicit Files(const std::function<std::optional<std::string>(const std::string&)>& read) : read_(read ? read : read_from_disk) {}

  const std::vector<std::string>* lines(const std::string& path) {
    if (path.empty()) return nullptr;
    auto [it, inserted] = files_.try_emplace(path);
    if (inserted) {
      if (auto text = read_(path)) {
        std::string_view rest = *text;
        while (!rest.empty()) {
          const std::size_t end = rest.find('\n');
          std::string_view line = rest.substr(0, end);
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          it->second.lines.emplace_back(line.substr(0, kLineWidth));
          if (end == std::string_view::npos) break;
          rest.remove_prefix(end + 1);
        }
        it->second.found = true;
      }
    }
    return it->second.found ? &it->second.lines : nullptr;
  }

private:
  struct File {
    bool found = false;
    std::vector<std::string> lines;
  };
  std::function<std::optional<std::string>(const std::string&)> read_;
  std::unordered_map<std::string, File> files_;
};

// {"start": first line number, "at": the line meant, "lines": [...]}, or null when the file cannot be read.
json excerpt(const std::vector<std::string>* lines, int first, int last, int at) {
  if (!lines || at <= 0 || at > static_cast<int>(lines->size())) return nullptr;
  first = std::max(first, 1);
  last = std::min(last, static_cast<int>(lines->size()));
  json shown = json::array();
  for (int n = first; n <= last; ++n) shown.push_back((*lines)[static_cast<std::size_t>(n - 1)]);
  return {{"start", first}, {"at", at}, {"lines", std::move(shown)}};
}

json source_excerpt(const std::vector<std::string>* lines, int at) { return excerpt(lines, at - kSourceContext, at + kSourceContext, at); }

std::size_t indent_of(std::string_view line) { return line.find_first_not_of(' ') == std::string_view::npos ? line.size() : line.find_first_not_of(' '); }

// No environment value of the contract is copied into the page: a variable named as a secret anywhere in
// the contract may hold it (the checker shows such values as <secret>, and the message already says what
// a non-secret value must be). Rules of the module and its classes hold no environment.
std::string redact_values(std::string line) {
  std::size_t at = 0;
  while ((at = line.find("value:", at)) != std::string::npos) {
    const bool key = at == 0 || line[at - 1] == ' ' || line[at - 1] == '{' || line[at - 1] == ',' || line[at - 1] == '-';
    const std::size_t begin = at + 6;
    at = begin;
    if (!key) continue;
    // The value runs to the end of its flow item (`,` or `}` outside quotes) or of the line, comment included.
    std::size_t stop = begin;
    char quote = 0;
    for (; stop < line.size(); ++stop) {
      const char c = line[stop];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == ',' || c == '}') {
        break;
      }
    }
    if (line.find_first_not_of(' ', begin) >= stop) continue;  // `value:` opening a block: nothing on this line
    line.replace(begin, stop - begin, " <redacted>");
    at = begin + 11;
  }
  return line;
}

// The rule's line and the more indented lines under it (its own block); values redacted for a rule of
// the environment or the runtime (a system's block holds its environment).
json contract_excerpt(const std::vector<std::string>* lines, int at, bool redact) {
  if (!lines || at <= 0 || at > static_cast<int>(lines->size())) return nullptr;
  const std::size_t base = indent_of((*lines)[static_cast<std::size_t>(at - 1)]);
  int last = at;
  while (last < static_cast<int>(lines->size()) && last - at + 1 < kContractBlock) {
    const std::string& next = (*lines)[static_cast<std::size_t>(last)];
    const std::size_t indent = indent_of(next);
    if (indent == next.size() || indent <= base) {
      // `- name: X` opens an item whose keys sit two columns right of the dash: they belong to it.
      const std::string& first = (*lines)[static_cast<std::size_t>(at - 1)];
      const bool item = first.compare(base, 2, "- ") == 0;
      if (!(item && indent == base + 2 && indent != next.size())) break;
    }
    ++last;
  }
  json shown = json::array();
  for (int n = at; n <= last; ++n) shown.push_back(redact ? redact_values((*lines)[static_cast<std::size_t>(n - 1)]) : (*lines)[static_cast<std::size_t>(n - 1)]);
  return {{"start", at}, {"at", at}, {"lines", std::move(shown)}};
}

json optional_text(const std::optional<std::string>& text) { return text ? json(*text) : json(nullptr); }

std::string plural(std::size_t n, std::string_view word) { return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s"); }

// A horizontal bar chart drawn as inline SVG: one bar per (label, count), longest first.
std::string bar_chart(const std::vector<std::pair<std::string, std::size_t>>& bars, std::string_view css_class, std::string_view title) {
  if (bars.empty()) return {};
  std::size_t most = 1;
  for (const auto& bar : bars) most = std::max(most, bar.second);
  constexpr int kRow = 20, kLabel = 210, kWidth = 260;
  const int height = static_cast<int>(bars.size()) * kRow + 4;
  std::string out = "<svg class=\"chart " + std::string(css_class) + "\" role=\"img\" aria-label=\"" + html_escape(title) + "\" width=\"" +
                    std::to_string(kLabel + kWidth + 60) + "\" height=\"" + std::to_string(height) + "\">";
  int y = 2;
  for (const auto& [label, count] : bars) {
    const int width = std::max(2, static_cast<int>(static_cast<double>(count) / static_cast<double>(most) * kWidth));
    out += "<g class=\"bar\" data-label=\"" + html_escape(label) + "\"><text x=\"" + std::to_string(kLabel - 6) + "\" y=\"" + std::to_string(y + 14) +
           "\" text-anchor=\"end\">" + html_escape(label) + "</text><rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 3) +
           "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(kRow - 6) + "\"></rect><text x=\"" +
           std::to_string(kLabel + width + 6) + "\" y=\"" + std::to_string(y + 14) + "\">" + std::to_string(count) + "</text></g>";
    y += kRow;
  }
  return out + "</svg>";
}

constexpr std::string_view kStyle = R"css(
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--red:#cf222e;--green:#1a7f37;--amber:#9a6700;--blue:#0969da}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--soft)}h1{font-size:20px;margin:0 0 4px}
.meta{color:var(--muted);font-size:12px}main{padding:16px 24px;max-width:1200px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0 16px}.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px}
.card .n{font-size:24px;font-weight:600}.card.violating .n{color:var(--red)}.card.errors .n{color:var(--amber)}.card.compliant .n{color:var(--green)}
.charts{display:flex;gap:24px;flex-wrap:wrap}.charts h2{font-size:14px;margin:8px 0}
.chart text{font-size:12px;fill:var(--fg)}.chart rect{fill:var(--red)}.chart.categories rect{fill:var(--blue)}
.stack{display:flex;height:10px;border-radius:5px;overflow:hidden;background:var(--soft);margin:4px 0 12px;max-width:600px}
.stack span{display:block}.stack .compliant{background:var(--green)}.stack .violating{background:var(--red)}.stack .errors{background:var(--amber)}
.filters{position:sticky;top:0;background:var(--bg);padding:10px 0;border-bottom:1px solid var(--line);display:flex;gap:8px;flex-wrap:wrap;align-items:center;z-index:1}
.filters input,.filters select{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:6px}.filters input[type=search]{min-width:260px}
#shown{color:var(--muted);margin-left:auto}
.module{border:1px solid var(--line);border-radius:6px;margin:12px 0}.module>summary{padding:8px 12px;cursor:pointer;background:var(--soft);list-style:none}
.module>summary::-webkit-details-marker{display:none}.module .name{font-weight:600;font-family:ui-monospace,monospace}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;margin-left:8px;color:#fff;background:var(--red)}
.badge.error{background:var(--amber)}.badge.ok{background:var(--green)}.contract{color:var(--muted);font-size:12px;margin-left:8px}
.violation{padding:8px 12px;border-top:1px solid var(--line)}.code{font-family:ui-monospace,monospace;font-weight:600;color:var(--red)}
.category{color:var(--muted);font-size:12px;margin-left:6px}.hint{color:var(--green)}.path{color:var(--muted);font-family:ui-monospace,monospace;font-size:12px}
.excerpts{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin-top:6px}@media(max-width:800px){.excerpts{grid-template-columns:1fr}}
.excerpt{border:1px solid var(--line);border-radius:4px;overflow:auto}.excerpt .where{font-size:12px;color:var(--muted);padding:2px 8px;background:var(--soft)}
.excerpt pre{margin:0;padding:4px 0;font:12px/1.4 ui-monospace,monospace}.excerpt .l{display:block;padding:0 8px;white-space:pre}
.chain-group{margin-top:4px}.chain-link{font:12px/1.4 ui-monospace,monospace;padding-left:1.5em}.chain-link .where{color:var(--muted)}
.excerpt .l.at{background:#fff8c5}.excerpt .ln{display:inline-block;width:3.5em;color:var(--muted);user-select:none}
#more{margin:12px 0;font:inherit;padding:6px 14px}.empty{color:var(--muted);padding:24px 0}
)css";

// The page's script: it reads the data block, fills the filters and draws the modules that match, a page
// at a time (so 20,000 targets never become 20,000 elements at once). Every text is set as textContent.
constexpr std::string_view kScript = R"js(
(function(){
'use strict';
var data=JSON.parse(document.getElementById('importspy-data').textContent);
var PAGE=100,limit=PAGE,matches=[];
var list=document.getElementById('modules'),shown=document.getElementById('shown'),more=document.getElementById('more');
var fCode=document.getElementById('filter-code'),fCat=document.getElementById('filter-category'),
    fFile=document.getElementById('filter-file'),fText=document.getElementById('search'),fAll=document.getElementById('show-compliant');
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=String(text);return e;}
function option(select,value,label){var o=document.createElement('option');o.value=value;o.textContent=label;select.appendChild(o);}
var codes={},cats={};
data.targets.forEach(function(t,i){
  t.i=i;t.codes={};t.cats={};var hay=[t.target,t.file,t.contract];
  (t.violations||[]).forEach(function(v){t.codes[v.code]=1;t.cats[v.category]=1;codes[v.code]=(codes[v.code]||0)+1;cats[v.category]=1;hay.push(v.code,v.message,v.hint,v.path);});
  if(t.error){t.codes[t.error.code]=1;t.cats.error=1;codes[t.error.code]=(codes[t.error.code]||0)+1;cats.error=1;hay.push(t.error.code,t.error.message,t.error.hint);}
  t.hay=hay.join('\n').toLowerCase();t.fileLow=(t.file||t.target).toLowerCase();
});
Object.keys(codes).sort().forEach(function(c){option(fCode,c,c+' ('+codes[c]+')');});
['missing','mismatch','invalid','error'].forEach(function(c){if(cats[c])option(fCat,c,c);});
function excerpt(title,ex){
  var box=el('div','excerpt');box.appendChild(el('div','where',title));var pre=el('pre');
  ex.lines.forEach(function(text,k){var n=ex.start+k;var line=el('span','l'+(n===ex.at?' at':''));line.appendChild(el('span','ln',n));
    line.appendChild(document.createTextNode(text));pre.appendChild(line);});
  box.appendChild(pre);return box;
}
function violationNode(t,v){
  var d=el('div','violation');d.dataset.code=v.code;var head=el('div');head.appendChild(el('span','code',v.code));head.appendChild(el('span','category',v.category+' · '+v.context));
  d.appendChild(head);d.appendChild(el('div','message',v.message));
  if(v.hint)d.appendChild(el('div','hint','hint: '+v.hint));
  if(v.path)d.appendChild(el('div','path',v.path));
  if(v.chain_groups){v.chain_groups.forEach(function(g){var box=el('div','chain-group');box.appendChild(el('div','path',g.chains+': '+g.modules));
    g.links.forEach(function(l){var row=el('div','chain-link');row.appendChild(el('span','where',l.place));row.appendChild(document.createTextNode(' '+l.text));box.appendChild(row);});
    d.appendChild(box);});}
  else if(v.chain)d.appendChild(el('div','path','import chain: '+v.chain.join(' → ')));
  if(v.source||v.contract_excerpt){var ex=el('div','excerpts');
    if(v.source)ex.appendChild(excerpt((v.source_file||t.file||t.target)+':'+v.source.at,v.source));
    if(v.contract_excerpt)ex.appendChild(excerpt(t.contract+':'+v.contract_excerpt.at,v.contract_excerpt));
    d.appendChild(ex);}
  return d;
}
function moduleNode(t){
  var det=el('details','module');det.id='t'+t.i;det.dataset.target=t.target;det.open=matches.length<=20||t.status!=='ok';
  var sum=el('summary');sum.appendChild(el('span','name',t.target));
  if(t.status==='error')sum.appendChild(el('span','badge error',t.error.code));
  else if(t.status==='violating')sum.appendChild(el('span','badge',t.violations.length+(t.violations.length===1?' violation':' violations')));
  else sum.appendChild(el('span','badge ok','compliant'));
  if(t.contract)sum.appendChild(el('span','contract',t.contract));
  det.appendChild(sum);
  if(t.error){var d=el('div','violation');d.dataset.code=t.error.code;var head=el('div');head.appendChild(el('span','code',t.error.code));head.appendChild(el('span','category','error'));
    d.appendChild(head);d.appendChild(el('div','message',t.error.message));if(t.error.hint)d.appendChild(el('div','hint','hint: '+t.error.hint));
    if(t.error.source){var ex=el('div','excerpts');ex.appendChild(excerpt(t.error.file+':'+t.error.source.at,t.error.source));d.appendChild(ex);}
    det.appendChild(d);}
  var vs=t.violations||[];var code=fCode.value,cat=fCat.value;
  vs.forEach(function(v){if((code&&v.code!==code)||(cat&&v.category!==cat))return;det.appendChild(violationNode(t,v));});
  return det;
}
function draw(){
  list.textContent='';var n=Math.min(limit,matches.length);var frag=document.createDocumentFragment();
  for(var k=0;k<n;k++)frag.appendChild(moduleNode(matches[k]));list.appendChild(frag);
  if(!matches.length)list.appendChild(el('div','empty','No module matches these filters.'));
  shown.textContent='Showing '+n+' of '+matches.length+(matches.length===1?' module':' modules');
  more.hidden=n>=matches.length;more.textContent='Show '+Math.min(PAGE,matches.length-n)+' more';
}
function apply(){
  var code=fCode.value,cat=fCat.value,file=fFile.value.trim().toLowerCase(),text=fText.value.trim().toLowerCase(),all=fAll.checked;
  matches=[];var ts=data.targets;
  for(var k=0;k<ts.length;k++){var t=ts[k];
    if(t.status==='ok'&&!all)continue;if(code&&!t.codes[code])continue;if(cat&&!t.cats[cat])continue;
    if(file&&t.fileLow.indexOf(file)<0)continue;if(text&&t.hay.indexOf(text)<0)continue;matches.push(t);}
  limit=PAGE;draw();
  document.body.dataset.filtered=String(Date.now());
}
var timer=0;function soon(){clearTimeout(timer);timer=setTimeout(apply,80);}
fCode.addEventListener('change',apply);fCat.addEventListener('change',apply);fAll.addEventListener('change',apply);
fFile.addEventListener('input',soon);fText.addEventListener('input',soon);
more.addEventListener('click',function(){limit+=PAGE;draw();});
Array.prototype.forEach.call(document.querySelectorAll('.chart .bar'),function(g){g.style.cursor='pointer';g.addEventListener('click',function(){
  var label=g.dataset.label;if(g.closest('.codes')){fCode.value=label;}else{fCat.value=label;}apply();});});
apply();
document.body.dataset.ready='1';
})();
)js";

}  // namespace

std::string render_html(const BatchResult& batch, const HtmlOptions& options) {
  Files files(options.read_file);
  std::map<std::string, std::size_t> by_code, by_category;
  json targets = json::array();
  for (const auto& result : batch.results) {
    json target = {{"target", result.target}, {"file", result.file}, {"contract", result.contract}, {"cached", result.cached}};
    if (result.error) {
      const TargetError& error = *result.error;
      target["status"] = "error";
      json shown = {{"code", error.code}, {"message", error.message}, {"hint", error.hint}, {"file", error.file}, {"line", error.line}, {"column", error.column}};
      if (error.line > 0) {
        const bool contract = !result.contract.empty() && error.file == result.contract;
        shown["source"] = contract ? contract_excerpt(files.lines(error.file), error.line, true) : source_excerpt(files.lines(error.file), error.line);
      }
      target["error"] = std::move(shown);
      ++by_code[error.code];
      ++by_category["error"];
    } else if (result.report) {
      target["status"] = result.report->ok() ? "ok" : "violating";
      if (!result.report->ok()) {
        json violations = json::array();
        for (const auto& v : result.report->violations) {
          json shown = {{"code", v.code},       {"category", to_string(v.category)}, {"context", to_string(v.context)}, {"path", v.path},
                        {"message", v.message}, {"hint", v.hint},                    {"expected", optional_text(v.expected)}, {"actual", optional_text(v.actual)}};
          if (const auto [file, line] = code_place(v, result.file); line > 0) {
            shown["line"] = line;
            shown["source"] = source_excerpt(files.lines(file), line);
            if (file != result.file) shown["source_file"] = file;
          }
          if (v.contract_mark.line > 0) {
            shown["contract_line"] = v.contract_mark.line;
            shown["contract_excerpt"] = contract_excerpt(files.lines(result.contract), v.contract_mark.line,
                                                            v.context == Context::environment || v.context == Context::runtime);
          }
          if (!v.chain.empty()) shown["chain"] = v.chain;
          if (!v.chains.empty()) {  // every chain, merged (chain_groups.hpp), each import with its file and lines
            json groups = json::array();
            for (const ChainGroup& group : group_chains(v.chains)) {
              json links = json::array();
              for (const ChainLink& link : group.links) {
                const std::string place = link.from.file.empty() ? link.from.module : link.from.file + ":" + std::to_string(link.from.line);
                std::string text = link.from.module + " imports " + link.to;
                if (link.from.lines.size() > 1) text += " (lines " + lines_text(link.from) + ")";
                links.push_back({{"place", place}, {"text", text}});
              }
              groups.push_back({{"chains", chain_numbers(group)}, {"modules", group_text(group)}, {"links", std::move(links)}});
            }
            shown["chain_groups"] = std::move(groups);
          }
          violations.push_back(std::move(shown));
          ++by_code[v.code];
          ++by_category[std::string(to_string(v.category))];
        }
        target["violations"] = std::move(violations);
      }
    }
    targets.push_back(std::move(target));
  }
  const std::size_t total = batch.results.size(), errors = batch.errors(), violating = batch.violating(), compliant = total - errors - violating;
  const json summary = {{"targets", total}, {"compliant", compliant}, {"violating", violating}, {"errors", errors}, {"violations", batch.violation_count()}};
  const json data = {{"summary", summary}, {"targets", std::move(targets)}};

  std::vector<std::pair<std::string, std::size_t>> code_bars(by_code.begin(), by_code.end()), category_bars(by_category.begin(), by_category.end());
  const auto most_first = [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; };
  std::sort(code_bars.begin(), code_bars.end(), most_first);
  std::sort(category_bars.begin(), category_bars.end(), most_first);

  const auto card = [](std::string_view cls, std::string_view label, std::size_t n) {
    return "<div class=\"card " + std::string(cls) + "\" data-count=\"" + std::string(cls) + "\"><div class=\"n\">" + std::to_string(n) + "</div>" +
           std::string(label) + "</div>";
  };
  const auto share = [&](std::size_t n) { return total == 0 ? std::string("0") : std::to_string(static_cast<double>(n) * 100.0 / static_cast<double>(total)); };

  std::string out;
  out.reserve(4096 + total * 200);
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
  // No network: the page may load nothing (the policy is also what a browser enforces for a stray URL).
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">";
  out += "<title>" + html_escape(options.title) + "</title><style>" + std::string(kStyle) + "</style></head><body>\n";
  out += "<header><h1>" + html_escape(options.title) + "</h1><div class=\"meta\">importspy" +
         (options.tool_version.empty() ? "" : " " + html_escape(options.tool_version)) + (batch.shard ? " · shard " + std::to_string(batch.shard->index) + "/" + std::to_string(batch.shard->count) : "") +
         " · " + html_escape(plural(total, "target")) + ", " + html_escape(plural(batch.violation_count(), "violation")) + "</div></header>\n<main>\n";
  out += "<section id=\"summary\"><div class=\"cards\">" + card("targets", "targets", total) + card("compliant", "compliant", compliant) +
         card("violating", "violating", violating) + card("errors", "errors", errors) + card("violations", "violations", batch.violation_count()) + "</div>";
  out += "<div class=\"stack\" title=\"compliant, violating, errors\"><span class=\"compliant\" style=\"width:" + share(compliant) +
         "%\"></span><span class=\"violating\" style=\"width:" + share(violating) + "%\"></span><span class=\"errors\" style=\"width:" + share(errors) +
         "%\"></span></div>";
  if (!code_bars.empty()) {
    out += "<div class=\"charts\"><div><h2>By code</h2>" + bar_chart(code_bars, "codes", "problems by code") + "</div><div><h2>By category</h2>" +
           bar_chart(category_bars, "categories", "problems by category") + "</div></div>";
  }
  out += "</section>\n";
  out += "<section class=\"filters\" id=\"filters\"><select id=\"filter-code\" aria-label=\"code\"><option value=\"\">every code</option></select>"
         "<select id=\"filter-category\" aria-label=\"category\"><option value=\"\">every category</option></select>"
         "<input id=\"filter-file\" type=\"text\" placeholder=\"file contains…\" aria-label=\"file\">"
         "<input id=\"search\" type=\"search\" placeholder=\"search targets, messages, hints…\" aria-label=\"search\">"
         "<label><input id=\"show-compliant\" type=\"checkbox\"> compliant too</label><span id=\"shown\"></span></section>\n";
  out += "<section id=\"modules\"><noscript>This report lists its modules with a script; the data is in the page's importspy-data block.</noscript></section>"
         "<button id=\"more\" type=\"button\" hidden>Show more</button>\n</main>\n";
  out += "<script type=\"application/json\" id=\"importspy-data\">" + json_for_script(data.dump(-1, ' ', false, json::error_handler_t::replace)) + "</script>\n";
  out += "<script>" + std::string(kScript) + "</script>\n</body></html>\n";
  return out;
}

std::string render_github_summary(const BatchResult& batch, const std::string& report_link) {
  // Markdown: a table cell or a code span must not be broken by the text in it.
  const auto cell = [](std::string_view text) {
    std::string out;
    for (char c : text) {
      if (c == '|') out += "\\|";
      else if (c == '\n' || c == '\r') out += ' ';
      else if (c == '<') out += "&lt;";
      else if (c == '>') out += "&gt;";
      else if (c == '&') out += "&amp;";
      else if (c == '`') out += "'";
      else out.push_back(c);
    }
    return out;
  };
  const std::size_t total = batch.results.size(), errors = batch.errors(), violating = batch.violating();
  std::string out = "## ImportSpy: ";
  out += batch.ok() ? "every target complies" : (errors > 0 ? "targets could not be checked" : "violations found");
  out += "\n\n| targets | compliant | violating | errors | violations |\n|---:|---:|---:|---:|---:|\n";
  out += "| " + std::to_string(total) + " | " + std::to_string(total - errors - violating) + " | " + std::to_string(violating) + " | " + std::to_string(errors) +
         " | " + std::to_string(batch.violation_count()) + " |\n";
  std::map<std::string, std::size_t> by_code;
  for (const auto& result : batch.results) {
    if (result.error) ++by_code[result.error->code];
    else if (result.report)
      for (const auto& v : result.report->violations) ++by_code[v.code];
  }
  if (!by_code.empty()) {
    out += "\n| code | count |\n|---|---:|\n";
    for (const auto& [code, count] : by_code) out += "| `" + cell(code) + "` | " + std::to_string(count) + " |\n";
  }
  constexpr std::size_t kShown = 20;
  std::size_t shown = 0, problems = 0;
  std::string rows;
  for (const auto& result : batch.results) {
    const auto row = [&](std::string_view place, std::string_view code, std::string_view message) {
      if (++problems > kShown) return;
      rows += "| `" + cell(place) + "` | `" + cell(code) + "` | " + cell(message) + " |\n";
      ++shown;
    };
    if (result.error) {
      row(result.error->file.empty() ? result.target : result.error->file + (result.error->line > 0 ? ":" + std::to_string(result.error->line) : ""), result.error->code,
          result.error->message);
    } else if (result.report) {
      for (const auto& v : result.report->violations) {
        const auto [file, line] = code_place(v, result.file);
        row(line > 0 ? file + ":" + std::to_string(line) : result.contract + (v.contract_mark.line > 0 ? ":" + std::to_string(v.contract_mark.line) : ""),
            v.code, v.message);
      }
    }
  }
  if (shown > 0) {
    out += "\n### " + std::string(problems > shown ? "First " + std::to_string(shown) + " of " + std::to_string(problems) + " problems" : "Problems") +
           "\n\n| where | code | message |\n|---|---|---|\n" + rows;
  }
  if (!report_link.empty()) out += "\nThe full report, with filters and source excerpts: " + cell(report_link) + "\n";
  return out;
}

}  // namespace importspy

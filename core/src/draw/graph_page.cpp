#include <nlohmann/json.hpp>

#include "importspy/draw/graph_page.hpp"
#include "importspy/util/html.hpp"

namespace importspy {
namespace {

using json = nlohmann::json;

// The SVG element alone: Graphviz's XML declaration and DOCTYPE do not belong inside an HTML page.
std::string svg_element(const std::string& svg) {
  const std::size_t at = svg.find("<svg");
  return at == std::string::npos ? svg : svg.substr(at);
}

constexpr std::string_view kStyle = R"css(
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--red:#cf222e;--hl:#bf8700}
*{box-sizing:border-box}html,body{height:100%}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);display:flex;flex-direction:column}
header{padding:10px 16px;border-bottom:1px solid var(--line);background:var(--soft);display:flex;gap:16px;align-items:center;flex-wrap:wrap}
h1{font-size:18px;margin:0}.counts{color:var(--muted);font-size:12px}#crumbs button{font:inherit;border:0;background:none;color:#0969da;cursor:pointer;padding:0 2px}
#find{font:inherit;padding:3px 8px;border:1px solid var(--line);border-radius:6px;min-width:260px;margin-left:auto}
.layout{flex:1;display:flex;min-height:0}#stage{flex:1;overflow:auto;padding:8px}#stage svg{max-width:100%;height:auto}#stage.actual svg{max-width:none}
aside{width:360px;border-left:1px solid var(--line);overflow:auto;padding:10px 14px;font-size:13px}aside h2{font-size:14px;margin:12px 0 6px}
aside ul{list-style:none;padding:0;margin:0}aside li{padding:1px 0}aside button.link{font:12px ui-monospace,monospace;border:0;background:none;color:#0969da;cursor:pointer;padding:0;text-align:left}
.kind{font-size:11px;color:var(--muted);margin-left:4px}.legend span{display:inline-block;margin-right:10px;font-size:12px}
.legend i{display:inline-block;width:24px;border-top:2px solid #6e7781;vertical-align:middle;margin-right:4px}
.legend .lazy i{border-top:2px dashed #0969da}.legend .tc i{border-top:2px dotted #8250df}.legend .main i{border-top:2px dashed #bc4c00}.legend .cyc i{border-top:2px solid var(--red)}
g.node{cursor:pointer}g.node.selected polygon,g.node.selected path{stroke:#0969da;stroke-width:3}
g.node.hl polygon,g.node.hl path{stroke:var(--hl);stroke-width:3;fill:#fff8c5}g.edge.hl path{stroke:var(--hl);stroke-width:3}g.edge.hl polygon{fill:var(--hl);stroke:var(--hl)}
g.node.near polygon,g.node.near path{stroke:#0969da;stroke-width:2}g.edge.dim{opacity:.15}
#stage.dense g.edge{opacity:.3}#stage.dense g.edge.on,#stage.dense g.edge.hl{opacity:1}#stage.dense g.edge.dim{opacity:.08}
.chain{margin:4px 0}.chain button{font:inherit;font-size:12px}.chain.on button{font-weight:600}.path{font:12px ui-monospace,monospace;color:var(--muted)}
.band{display:inline-block;width:10px;height:10px;border:1px solid #d0d7de;margin-right:4px}
)css";

constexpr std::string_view kScript = R"js(
(function(){
'use strict';
var data=JSON.parse(document.getElementById('graph-data').textContent);
var stage=document.getElementById('stage'),panel=document.getElementById('panel'),crumbs=document.getElementById('crumbs'),find=document.getElementById('find');
var viewIndex={};data.views.forEach(function(v,i){viewIndex[v.package]=i;});
var moduleIndex={};data.modules.forEach(function(m,i){moduleIndex[m]=i;});
var importsOf=data.modules.map(function(){return [];}),importersOf=data.modules.map(function(){return [];});
data.edges.forEach(function(e,k){importsOf[e[0]].push(k);importersOf[e[1]].push(k);});
var current=-1,selected=null,chainOn=-1;
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=String(text);return e;}
function under(name,pkg){return pkg===''||name===pkg||name.indexOf(pkg+'.')===0;}
function kinds(e){var k=[];if(e[3]&1)k.push('runtime');if(e[3]&2)k.push('lazy');if(e[3]&4)k.push('TYPE_CHECKING');if(e[3]&8)k.push('__main__');if(e[3]&16)k.push('cycle');return k.join(', ');}
function nodeOf(view,name){for(var i=0;i<view.nodes.length;i++){var n=view.nodes[i];if(n.key===name||(n.package&&under(name,n.key)))return i;}return -1;}
function open(k,then){
  current=k;var view=data.views[k];stage.textContent='';
  stage.appendChild(document.getElementById('svg-'+k).content.cloneNode(true));
  // Dense views draw their edges faint until a module is chosen; a picture that fitting to the window
  // would shrink below readable size is shown at its actual size (scroll to move around).
  stage.classList.toggle('dense',view.edges.length>3*view.nodes.length);
  var svg=stage.querySelector('svg'),natural=svg?svg.width.baseVal.value:0;
  var actual=natural>0&&stage.clientWidth/natural<0.6;document.getElementById('actual-size').checked=actual;stage.classList.toggle('actual',actual);
  Array.prototype.forEach.call(stage.querySelectorAll('g.node'),function(g){
    var i=Number(g.id.slice(g.id.lastIndexOf('n')+1));
    g.addEventListener('click',function(){select(i);});
    g.addEventListener('dblclick',function(){if(view.nodes[i].package)open(viewIndex[view.nodes[i].key]);});
  });
  crumbs.textContent='';var parts=view.package?view.package.split('.'):[];var top=data.views[0].package;
  var ups=[];for(var p=parts.length;p>=0;p--){var name=parts.slice(0,p).join('.');if(viewIndex[name]!==undefined&&under(name,top))ups.unshift(name);}
  ups.forEach(function(name,j){if(j)crumbs.appendChild(document.createTextNode(' › '));var b=el('button','',name||'(top)');b.addEventListener('click',function(){open(viewIndex[name]);});crumbs.appendChild(b);});
  document.body.dataset.view=view.package;selected=null;
  if(then)then();else showOverview();
  highlight();
}
function svgNode(i){return document.getElementById('v'+current+'n'+i);}
function svgEdge(e){return document.getElementById('v'+current+'e'+e);}
function moduleLink(m,extra){var li=el('li');var b=el('button','link',data.modules[m]);b.addEventListener('click',function(){goTo(m);});li.appendChild(b);if(extra)li.appendChild(el('span','kind',extra));return li;}
function select(i){
  var view=data.views[current],node=view.nodes[i];
  Array.prototype.forEach.call(stage.querySelectorAll('g.node.selected,g.node.near'),function(g){g.classList.remove('selected','near');});
  Array.prototype.forEach.call(stage.querySelectorAll('g.edge.dim'),function(g){g.classList.remove('dim');});
  var g=svgNode(i);if(g)g.classList.add('selected');selected=node.key;
  Array.prototype.forEach.call(stage.querySelectorAll('g.edge.on'),function(g){g.classList.remove('on');});
  view.edges.forEach(function(e,k){var touches=e[0]===i||e[1]===i;var ge=svgEdge(k);if(ge)ge.classList.add(touches?'on':'dim');
    if(touches){var other=svgNode(e[0]===i?e[1]:e[0]);if(other)other.classList.add('near');}});
  panel.textContent='';panel.dataset.selected=node.key;
  panel.appendChild(el('h2','',node.key));
  if(node.package){
    panel.appendChild(el('div','path',node.modules+' modules'));
    var b=el('button','','Open '+node.key);b.id='open-package';b.addEventListener('click',function(){open(viewIndex[node.key]);});panel.appendChild(b);
    // Its edges in this view: each the number of module edges it stands for.
    var ins=el('ul'),outs=el('ul');ins.id='importers';outs.id='imports';var nIn=0,nOut=0;
    view.edges.forEach(function(e){if(e[1]===i){nIn++;ins.appendChild(el('li','',view.nodes[e[0]].key+' ('+e[2]+')'));}if(e[0]===i){nOut++;outs.appendChild(el('li','',view.nodes[e[1]].key+' ('+e[2]+')'));}});
    panel.appendChild(el('h2','','Imported by ('+nIn+')'));panel.appendChild(ins);panel.appendChild(el('h2','','Imports ('+nOut+')'));panel.appendChild(outs);
    return;
  }
  var m=moduleIndex[node.key];panel.appendChild(el('div','path',data.files[m]));
  var ins=el('ul');ins.id='importers';importersOf[m].forEach(function(k){var e=data.edges[k];ins.appendChild(moduleLink(e[0],'line '+e[2].join(', ')+' · '+kinds(e)));});
  var outs=el('ul');outs.id='imports';importsOf[m].forEach(function(k){var e=data.edges[k];outs.appendChild(moduleLink(e[1],'line '+e[2].join(', ')+' · '+kinds(e)));});
  panel.appendChild(el('h2','','Imported by ('+importersOf[m].length+')'));panel.appendChild(ins);
  panel.appendChild(el('h2','','Imports ('+importsOf[m].length+')'));panel.appendChild(outs);
}
function goTo(m){
  var name=data.modules[m],target=viewIndex[name];
  if(target===undefined){var dot=name.lastIndexOf('.');target=viewIndex[dot<0?'':name.slice(0,dot)];}
  if(target===undefined)target=0;
  open(target,function(){var i=nodeOf(data.views[target],name);if(i>=0){select(i);var g=svgNode(i);if(g&&g.scrollIntoView)g.scrollIntoView({block:'center',inline:'center'});}});
}
function highlight(){
  Array.prototype.forEach.call(stage.querySelectorAll('.hl'),function(g){g.classList.remove('hl');});
  if(chainOn<0)return;var view=data.views[current],chain=data.chains[chainOn],nodes=chain.modules.map(function(m){return nodeOf(view,m);});
  nodes.forEach(function(i){var g=i>=0&&svgNode(i);if(g)g.classList.add('hl');});
  var loop=chain.kind==='cycle';
  for(var j=0;j+1<nodes.length||(loop&&j<nodes.length);j++){var a=nodes[j],b=nodes[(j+1)%nodes.length];if(a<0||b<0||a===b)continue;
    view.edges.forEach(function(e,k){if(e[0]===a&&e[1]===b){var g=svgEdge(k);if(g)g.classList.add('hl');}});}
}
function showOverview(){
  panel.textContent='';delete panel.dataset.selected;
  panel.appendChild(el('h2','','Edges'));var legend=el('div','legend');
  [['','runtime import'],['lazy','lazy (in a function)'],['tc','TYPE_CHECKING'],['main','__main__ only'],['cyc','in an import cycle']].forEach(function(p){
    var s=el('span',p[0]);s.appendChild(el('i'));s.appendChild(document.createTextNode(p[1]));legend.appendChild(s);});
  panel.appendChild(legend);
  if(data.bands.length){panel.appendChild(el('h2','','Bands'));var ul=el('ul');data.bands.forEach(function(b){ul.appendChild(el('li','',b.name+': '+b.modules.join(', ')));});panel.appendChild(ul);}
  panel.appendChild(el('h2','',data.chains.length?'Chains ('+data.chains.length+')':'No import cycle'));
  var list=el('div');list.id='chains';
  data.chains.forEach(function(c,k){var d=el('div','chain'+(k===chainOn?' on':''));var b=el('button','',c.label);
    b.addEventListener('click',function(){chainOn=chainOn===k?-1:k;showOverview();highlight();});d.appendChild(b);
    d.appendChild(el('div','path',c.modules.join(' → ')+(c.kind==='cycle'?' → '+c.modules[0]:'')));list.appendChild(d);});
  panel.appendChild(list);
  panel.appendChild(el('p','path','Click a module for its importers and imports; double-click a package (or use its Open button) to see inside it.'));
}
var options=document.getElementById('module-names');data.modules.forEach(function(m){var o=document.createElement('option');o.value=m;options.appendChild(o);});
find.addEventListener('change',function(){var m=moduleIndex[find.value.trim()];if(m!==undefined)goTo(m);});
document.getElementById('actual-size').addEventListener('change',function(e){stage.classList.toggle('actual',e.target.checked);});
document.addEventListener('keydown',function(e){if(e.key==='Escape'){chainOn=-1;open(current);}});
open(0);
document.body.dataset.ready='1';
})();
)js";

}  // namespace

std::string render_graph_page(const GraphPicture& picture) {
  const std::vector<std::string> packages = view_packages(picture);
  json views = json::array();
  std::string templates;
  for (std::size_t k = 0; k < packages.size(); ++k) {
    const PictureView view = view_of(picture, packages[k]);
    json nodes = json::array(), edges = json::array();
    for (const ViewNode& node : view.nodes) nodes.push_back({{"key", node.key}, {"package", node.package}, {"modules", node.modules}});
    for (const ViewEdge& edge : view.edges) edges.push_back({edge.from, edge.to, edge.imports});
    views.push_back({{"package", view.package}, {"nodes", std::move(nodes)}, {"edges", std::move(edges)}});
    templates += "<template id=\"svg-" + std::to_string(k) + "\">" + svg_element(layout_svg(picture, view, "v" + std::to_string(k))) + "</template>\n";
  }
  json edges = json::array();
  std::size_t imports = 0, cycles = 0;
  for (const PictureEdge& edge : picture.edges) {
    const int kinds = (edge.runtime ? 1 : 0) | (edge.lazy ? 2 : 0) | (edge.type_checking ? 4 : 0) | (edge.main_guard ? 8 : 0) | (edge.cycle ? 16 : 0);
    edges.push_back({edge.from, edge.to, edge.lines, kinds});
    imports += edge.lines.size();
  }
  json chains = json::array();
  for (const Chain& chain : picture.chains) {
    chains.push_back({{"kind", chain.kind}, {"label", chain.label}, {"modules", chain.modules}});
    cycles += chain.kind == "cycle";
  }
  json bands = json::array();
  for (const Band& band : picture.bands) bands.push_back({{"name", band.name}, {"modules", band.modules}});
  const json data = {{"title", picture.title}, {"modules", picture.modules}, {"files", picture.files}, {"edges", std::move(edges)},
                     {"chains", std::move(chains)}, {"bands", std::move(bands)}, {"views", std::move(views)}};

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">";
  out += "<title>" + html_escape(picture.title) + "</title><style>" + std::string(kStyle) + "</style></head><body>\n";
  out += "<header><h1>" + html_escape(picture.title) + "</h1><span class=\"counts\" id=\"counts\">" + std::to_string(picture.modules.size()) + " modules, " +
         std::to_string(picture.edges.size()) + " edges (" + std::to_string(imports) + " import lines), " + std::to_string(cycles) +
         (cycles == 1 ? " cycle" : " cycles") + "</span><nav id=\"crumbs\"></nav>"
         "<label class=\"counts\"><input type=\"checkbox\" id=\"actual-size\"> actual size</label>"
         "<input id=\"find\" list=\"module-names\" placeholder=\"go to module…\" aria-label=\"go to module\"><datalist id=\"module-names\"></datalist></header>\n";
  out += "<div class=\"layout\"><div id=\"stage\"></div><aside id=\"panel\"></aside></div>\n";
  out += templates;
  out += "<script type=\"application/json\" id=\"graph-data\">" + json_for_script(data.dump(-1, ' ', false, json::error_handler_t::replace)) + "</script>\n";
  out += "<script>" + std::string(kScript) + "</script>\n</body></html>\n";
  return out;
}

}  // namespace importspy

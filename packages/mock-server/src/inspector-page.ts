import { parties } from "@dttracker-dobbletap/contracts";
import type { MockParty } from "./seed.js";

/**
 * The inspector at `GET /__mock/` (for a browser): the live delivery log with each delivery's
 * detail, replay, the state with accept/decline on each offer, the fault controls and reset. One
 * page with its own small script and no framework: it only lists, shows and posts to the admin
 * routes, which the DOM API does in a few KB. Every value from a delivery is set as text, never as
 * HTML, so a hostile body cannot script the page.
 *
 * @example
 * ```ts
 * res.end(inspectorPage("dobbletap"));
 * ```
 */
export function inspectorPage(as: MockParty): string {
  const title = `Mock ${parties[as].name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · inspector</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{display:flex;gap:12px;align-items:center;flex-wrap:wrap;padding:8px 14px;background:#1d2330;color:#fff}
header h1{font-size:15px;margin:0 12px 0 0}header input,header select{width:64px}
main{display:grid;grid-template-columns:minmax(340px,1fr) minmax(360px,1.2fr);gap:10px;padding:10px}
section{background:#fff;border:1px solid #d8dbe2;border-radius:6px;padding:8px;overflow:auto}
h2{font-size:13px;margin:0 0 6px;text-transform:uppercase;color:#5b6375}
table{border-collapse:collapse;width:100%}td,th{padding:3px 6px;text-align:left;border-bottom:1px solid #eef0f3;white-space:nowrap}
#log tr{cursor:pointer}#log tr:hover{background:#eef3ff}#log tr.sel{background:#dce6ff}
.ok{color:#137333}.bad{color:#b3261e}.muted{color:#7a8294}
pre{background:#f5f6f8;padding:6px;white-space:pre-wrap;word-break:break-all;max-height:260px;overflow:auto;margin:4px 0}
button{font:inherit;padding:2px 8px;cursor:pointer}#state{grid-column:1/3}#list,#detail{max-height:60vh}pre{max-height:160px}#msg{min-height:1em}
</style></head><body>
<header><h1>${title}</h1>
<span>Fault: <b id="fault">none</b></span>
<label>status <input id="f-status" type="number" value="503" min="400" max="599"></label>
<label>count <input id="f-count" type="number" value="1" min="1"></label>
<button id="f-set">Inject fault</button><button id="f-drop">Drop next</button><button id="f-clear">Clear fault</button>
<button id="reset">Reset</button><span id="msg" role="status"></span></header>
<main>
<section id="list"><h2>Deliveries <span id="count" class="muted"></span></h2>
<table><thead><tr><th>time</th><th></th><th>status</th><th>event</th><th>id</th><th>outcome</th></tr></thead><tbody id="log"></tbody></table></section>
<section id="detail"><h2>Detail</h2><p class="muted">Select a delivery.</p></section>
<section id="state"><h2>State</h2><div id="state-body"></div></section>
</main>
<script>
const $=(s)=>document.querySelector(s),AS=${JSON.stringify(as)};
const h=(tag,attrs,...kids)=>{const e=document.createElement(tag);for(const[k,v]of Object.entries(attrs||{}))k.startsWith("on")?e.addEventListener(k.slice(2),v):e.setAttribute(k,v);for(const c of kids.flat())e.append(c instanceof Node?c:String(c??""));return e};
const rows=new Map();let selected=null,stateTimer=0;
const say=(t,bad)=>{const m=$("#msg");m.textContent=t;m.className=bad?"bad":"ok"};
async function call(method,path,body){const r=await fetch(path,{method,headers:body?{"content-type":"application/json"}:{},body:body?JSON.stringify(body):undefined});const t=await r.text();let j;try{j=JSON.parse(t)}catch{j=t}return{status:r.status,body:j}}
const outcome=(e)=>e.fault?"fault: "+e.fault:e.code||(e.result?(e.result.type?e.result.type+" "+e.result.status:"synced "+(e.result.synced||[]).length):e.error||"")+(e.duplicate?" (duplicate)":"");
const good=(e)=>e.status>=200&&e.status<300;
function add(e){const tr=h("tr",{"data-seq":e.seq,"data-status":e.status,onclick:()=>show(e.seq)},h("td",{},e.at.slice(11,23)),h("td",{},e.direction==="out"?"→ out":"in"),h("td",{class:good(e)?"ok":"bad"},e.status||"—"),h("td",{},e.event||"-"),h("td",{class:"muted"},(e.id||"-").slice(0,8)),h("td",{},outcome(e)));rows.set(e.seq,e);$("#log").prepend(tr);$("#count").textContent="("+rows.size+")";clearTimeout(stateTimer);stateTimer=setTimeout(loadState,50)}
function clearLog(){rows.clear();$("#log").replaceChildren();$("#count").textContent="";stateCursor="";loadState()}
function pretty(t){try{return JSON.stringify(JSON.parse(t),null,2)}catch{return t||""}}
function show(seq){const e=rows.get(seq);if(!e)return;selected=seq;for(const tr of $("#log").children)tr.classList.toggle("sel",tr.dataset.seq==seq);
const rq=e.request||{headers:{},body:""},rs=e.response;const out=h("pre",{id:"replay-answer"});
$("#detail").replaceChildren(h("h2",{},"Detail #"+e.seq),
h("p",{},(e.direction==="out"?"Sent to ":"Received on ")+e.path),
h("p",{},"event ",h("b",{},e.event||"-")," · id ",h("code",{},e.id||"-")," · ",h("b",{class:good(e)?"ok":"bad"},String(e.status))," · ",e.ms.toFixed(1)+" ms · signature ",h("b",{"data-testid":"signature"},rq.signature||"-")),
e.error?h("p",{class:"bad"},e.error):"",
h("div",{},h("button",{id:"replay-same",onclick:()=>replay(e,false)},"Replay (same id)")," ",h("button",{id:"replay-new",onclick:()=>replay(e,true)},"Replay (new id)")),out,
h("h2",{},"Request headers"),h("pre",{},Object.entries(rq.headers).map(([k,v])=>k+": "+v).join("\\n")),
h("h2",{},"Request body"+(rq.truncated?" (cut)":"")),h("pre",{id:"request-body"},pretty(rq.body)),
h("h2",{},"Answer"),h("pre",{id:"answer-body"},rs?pretty(rs.body):"(no answer)"))}
async function replay(e,newId){const r=await call("POST","/__mock/events/"+e.seq+"/replay",{newId});$("#replay-answer").textContent="← "+(r.body.status??r.status)+(r.body.id?" (id "+r.body.id+")":"")+"\\n"+JSON.stringify(r.body.body??r.body,null,2)}
let stateCursor="";
async function loadState(){const s=(await call("GET","/__mock/state?limit=200"+(stateCursor?"&cursor="+encodeURIComponent(stateCursor):""))).body,b=$("#state-body");const list=(name,items,cols,extra)=>items&&items.length?[h("h2",{},name+" ("+items.length+")"),h("table",{"data-testid":name},h("tbody",{},items.map((x)=>h("tr",{},cols.map((c)=>h("td",{},typeof c==="function"?c(x):x[c]??"")),extra?h("td",{},extra(x)):""))))]:[];
b.replaceChildren(...list("campaigns",s.campaigns,["id","title","status"]),...list("offers",s.offers,["id","campaignId",(o)=>o.amount.currency+" "+o.amount.amountMinor,(o)=>h("b",{"data-testid":"offer-status"},o.status)],AS==="dobbletap"?(o)=>o.status==="offered"?[h("button",{onclick:()=>decide(o.id,"accept")},"Accept")," ",h("button",{onclick:()=>decide(o.id,"decline")},"Decline")]:"":null),...list("creators",s.creators,["dobbletapId","handle","status"]),...list("cancelled assignments",s.cancelledAssignments,["campaignId","creatorId"]));if(!b.children.length)b.append(h("p",{class:"muted"},"Empty."));
// The state comes a page (200 records) at a time; the buttons walk it.
if(stateCursor||s.next)b.append(h("p",{},stateCursor?h("button",{id:"state-first",onclick:()=>{stateCursor="";loadState()}},"First page"):""," ",s.next?h("button",{id:"state-next",onclick:()=>{stateCursor=s.next;loadState()}},"Next page"):""))}
async function decide(id,what){const r=await call("POST","/__mock/offers/"+id+"/"+what);r.body.success?say("Offer "+what+"ed; DTTracker answered "+r.body.sent.status):say((r.body.error&&r.body.error.message)||("DTTracker did not sync: "+JSON.stringify(r.body.sent&&r.body.sent.syncStatus.error)),true);loadState()}
async function loadFault(){const f=(await call("GET","/__mock/faults")).body;$("#fault").textContent=f.fault?JSON.stringify(f.fault)+(f.remaining===null?"":" × "+f.remaining):"none"}
async function fault(body){const r=await call(body?"POST":"DELETE","/__mock/faults",body);r.status===200?say(body?"Fault set":"Fault cleared"):say(r.body.error.message,true);loadFault()}
$("#f-set").onclick=()=>fault({status:Number($("#f-status").value),count:Number($("#f-count").value)});
$("#f-drop").onclick=()=>fault({drop:true,count:Number($("#f-count").value)});
$("#f-clear").onclick=()=>fault();
$("#reset").onclick=async()=>{await call("POST","/__mock/reset");say("Reset to the seed");loadFault()};
const es=new EventSource("/__mock/events/stream");
es.addEventListener("delivery",(m)=>{const e=JSON.parse(m.data);add(e);if(e.fault)loadFault()});
es.addEventListener("clear",clearLog);
loadState();loadFault();
</script></body></html>`;
}

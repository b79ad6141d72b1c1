// Routing policies (ops): view every policy, edit one, or create one. PUT /api/policies/{id}.
import { api, errorText } from '../api';
import { h, setText } from '../dom';
import type { FallbackAction, PolicyDefaults, PolicyRequest, RoutingPolicy, SplitPolicy } from '../types';

const splits: [SplitPolicy, string][] = [
  ['WholeOrder', 'WholeOrder 整单'],
  ['ByLineGroup', 'ByLineGroup 分组'],
  ['SplitQuantity', 'SplitQuantity 拆分数量'],
];
const fallbacks: [FallbackAction, string][] = [
  ['Reject', 'Reject 拒绝'],
  ['Backorder', 'Backorder 缺货待补'],
  ['ManualReview', 'ManualReview 人工审核'],
];

export class PoliciesPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly status: HTMLElement;
  private readonly idInput: HTMLInputElement;
  private readonly fields: {
    homeFirst: HTMLInputElement; maxDistanceKm: HTMLInputElement;
    priority: HTMLInputElement; distance: HTMLInputElement; stock: HTMLInputElement; load: HTMLInputElement;
    split: HTMLSelectElement; maxSplits: HTMLInputElement; suggestSubstitutes: HTMLInputElement; autoSubstitute: HTMLInputElement;
    fallback: HTMLSelectElement;
  };
  private policies: RoutingPolicy[] = [];
  /** The server's settings for what a request omits: a new policy starts from them. */
  private defaults: PolicyDefaults | null = null;

  constructor(private readonly usedBy: () => { id: string; policy: string }[]) {
    const num = (name: string, attrs: Record<string, string | number>) =>
      h('input', { type: 'number', name, testid: `policy-${name}`, step: 'any', ...attrs });
    const check = (name: string) => h('input', { type: 'checkbox', name, testid: `policy-${name}` });
    const select = (name: string, options: [string, string][]) =>
      h('select', { name, testid: `policy-${name}` }, options.map(([v, t]) => h('option', { value: v }, t)));
    this.fields = {
      homeFirst: check('homeFirst'),
      maxDistanceKm: num('maxDistanceKm', { min: 0.1, max: 20000, placeholder: 'no limit 不限' }),
      priority: num('priority', { min: 0, max: 100 }),
      distance: num('distance', { min: 0, max: 100 }),
      stock: num('stock', { min: 0, max: 100 }),
      load: num('load', { min: 0, max: 100 }),
      split: select('split', splits),
      maxSplits: num('maxSplits', { min: 1, max: 20, step: 1 }),
      suggestSubstitutes: check('suggestSubstitutes'),
      autoSubstitute: check('autoSubstitute'),
      fallback: select('fallback', fallbacks),
    };
    const f = this.fields;
    this.idInput = h('input', { type: 'text', name: 'id', testid: 'policy-id', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._-]*', maxlength: 64 });
    this.status = h('p', { class: 'muted', testid: 'policy-status', role: 'status' });
    const field = (text: string, input: HTMLElement, hint?: string) => h('label', { class: 'field' }, h('span', null, text), input, hint ? h('small', { class: 'muted' }, hint) : null);
    this.form = h('form', { class: 'policy-form', testid: 'policy-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.save(); } },
      field('Policy id 策略编号', this.idInput),
      h('fieldset', null, h('legend', null, 'Eligibility 资格'),
        h('label', { class: 'toggle' }, f.homeFirst, ' Home distributor first 归属优先'),
        field('Max distance km 最大距离', f.maxDistanceKm, 'outside the territory, allow candidates within this distance')),
      h('fieldset', null, h('legend', null, 'Ranking weights 排名权重'),
        h('div', { class: 'grid4' },
          field('Priority 优先级', f.priority), field('Distance 距离', f.distance), field('Stock 库存', f.stock), field('Load 负载', f.load))),
      h('fieldset', null, h('legend', null, 'Split 拆单'),
        field('Split policy 拆单策略', f.split), field('Max splits 最多拆分', f.maxSplits)),
      h('fieldset', null, h('legend', null, 'Fallback 兜底'),
        h('label', { class: 'toggle' }, f.suggestSubstitutes, ' Suggest substitutes 建议替代品'),
        h('label', { class: 'toggle' }, f.autoSubstitute, ' Auto-substitute 自动替代'),
        field('When unfillable 无法满足时', f.fallback)),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary', testid: 'policy-save' }, 'Save 保存'),
        h('button', { type: 'button', class: 'ghost', onclick: () => this.edit(null) }, 'New policy 新建策略')),
      this.status);
    this.list = h('div', { class: 'policy-list', testid: 'policy-list' });
    this.el = h('section', { class: 'panel', testid: 'policies-panel' },
      h('header', { class: 'panel-head' }, h('h2', null, 'Routing policies 路由策略'),
        h('div', { class: 'tools' }, h('button', { type: 'button', class: 'ghost', onclick: () => void this.load() }, 'Refresh 刷新'))),
      h('p', { class: 'muted small' }, 'Policies are data: changes apply to the next orders routed (cached ≤ 1 s). 策略修改对后续订单生效。'),
      h('div', { class: 'policies-layout' }, this.list, this.form));
  }

  async load(): Promise<void> {
    try {
      const [defaults, policies] = await Promise.all([api.policyDefaults(), api.policies()]);
      this.defaults = defaults;
      this.policies = policies.sort((a, b) => (a.id === 'default' ? -1 : b.id === 'default' ? 1 : a.id.localeCompare(b.id)));
      this.renderList();
      const current = this.policies.find((p) => p.id === this.idInput.value) ?? this.policies[0];
      this.edit(current ?? null);
    } catch (e) {
      this.list.replaceChildren(h('p', { class: 'error' }, `Could not load policies: ${errorText(e)}`));
    }
  }

  private renderList(): void {
    const used = this.usedBy();
    this.list.replaceChildren(...this.policies.map((p) => {
      const w = p.effectiveWeights;
      const campaigns = used.filter((c) => c.policy === p.id).map((c) => c.id);
      return h('button', { type: 'button', class: `policy-item${p.id === this.idInput.value ? ' selected' : ''}`, testid: `policy-item-${p.id}`, onclick: () => this.edit(p) },
        h('b', null, p.id),
        h('span', { class: 'small' }, `${p.split}${p.split === 'SplitQuantity' ? ` ≤${p.maxSplits}` : ''} · ${p.homeFirst ? 'home first 归属优先' : 'no home first'} · fallback ${p.fallback}`),
        h('span', { class: 'small muted' }, `weights P${w.priority} D${w.distance} S${w.stock} L${w.load}${p.maxDistanceKm ? ` · ≤${p.maxDistanceKm} km` : ''}`),
        campaigns.length ? h('span', { class: 'small muted' }, `used by 使用中: ${campaigns.join(', ')}`) : null);
    }));
  }

  private edit(p: RoutingPolicy | null): void {
    const f = this.fields;
    const v: PolicyRequest | null = p ? { ...p, weights: p.effectiveWeights } : this.defaults;
    if (!v) return; // the defaults are not loaded yet (load() shows why)
    this.idInput.value = p?.id ?? '';
    this.idInput.readOnly = p !== null;
    f.homeFirst.checked = v.homeFirst;
    f.maxDistanceKm.value = v.maxDistanceKm === null || v.maxDistanceKm === undefined ? '' : String(v.maxDistanceKm);
    f.priority.value = String(v.weights.priority);
    f.distance.value = String(v.weights.distance);
    f.stock.value = String(v.weights.stock);
    f.load.value = String(v.weights.load);
    f.split.value = v.split;
    f.maxSplits.value = String(v.maxSplits);
    f.suggestSubstitutes.checked = v.suggestSubstitutes;
    f.autoSubstitute.checked = v.autoSubstitute;
    f.fallback.value = v.fallback;
    setText(this.status, p ? `Editing 编辑中: ${p.id}` : 'New policy: choose an id. 新建策略：请输入编号。');
    this.status.className = 'muted';
    if (!p) this.idInput.focus({ preventScroll: true });
    for (const item of this.list.querySelectorAll<HTMLElement>('.policy-item')) item.classList.toggle('selected', item.dataset.testid === `policy-item-${p?.id}`);
  }

  private async save(): Promise<void> {
    const f = this.fields;
    const id = this.idInput.value.trim();
    const n = (input: HTMLInputElement) => Number(input.value || 0);
    const body: PolicyRequest = {
      homeFirst: f.homeFirst.checked,
      maxDistanceKm: f.maxDistanceKm.value.trim() === '' ? null : Number(f.maxDistanceKm.value),
      weights: { priority: n(f.priority), distance: n(f.distance), stock: n(f.stock), load: n(f.load) },
      split: f.split.value as SplitPolicy,
      maxSplits: Math.round(n(f.maxSplits)) || 1,
      suggestSubstitutes: f.suggestSubstitutes.checked,
      autoSubstitute: f.autoSubstitute.checked,
      fallback: f.fallback.value as FallbackAction,
    };
    setText(this.status, 'Saving… 保存中');
    this.status.className = 'muted';
    try {
      const saved = await api.savePolicy(id, body);
      await this.load();
      this.edit(this.policies.find((p) => p.id === saved.id) ?? saved);
      setText(this.status, `Saved 已保存: ${saved.id}`);
      this.status.className = 'ok';
    } catch (e) {
      setText(this.status, `Not saved 未保存: ${errorText(e)}`);
      this.status.className = 'error';
    }
  }
}

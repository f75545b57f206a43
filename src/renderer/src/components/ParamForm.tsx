import type { ParamSpec } from '../../../api/schemas';
import { formatParamValue, type ParamTexts } from '../params';

interface Props {
  params: ParamSpec[];
  texts: ParamTexts;
  disabled: boolean;
  onChange: (name: string, text: string) => void;
}

/** A generic form for a method's ParamSpecs: enums as selects, everything else as text. */
export function ParamForm({ params, texts, disabled, onChange }: Props) {
  if (params.length === 0) return <p className="muted small">This method has no parameters.</p>;
  return (
    <div className="param-form" data-testid="param-form">
      {params.map((spec) => (
        <ParamField key={spec.name} spec={spec} text={texts[spec.name] ?? ''} disabled={disabled} onChange={onChange} />
      ))}
    </div>
  );
}

const PLACEHOLDER: Record<ParamSpec['kind'], string> = {
  int: 'integer',
  number: 'number',
  'int-list': 'e.g. 3,16,16',
  enum: '',
  'number-or-enum': 'number',
  string: '',
};

function ParamField({ spec, text, disabled, onChange }: { spec: ParamSpec; text: string; disabled: boolean; onChange: Props['onChange'] }) {
  const id = `param-${spec.name}`;
  const defaultText = formatParamValue(spec.default);
  const placeholder = spec.kind === 'number-or-enum' && spec.options?.length ? `number or ${spec.options.join(' / ')}` : PLACEHOLDER[spec.kind];
  return (
    <div className="param-field">
      <label htmlFor={id}>{spec.name}</label>
      {spec.kind === 'enum' && spec.options ? (
        <select id={id} data-testid={id} value={text} disabled={disabled} onChange={(e) => onChange(spec.name, e.target.value)}>
          {!spec.options.includes(text) && <option value={text}>{text === '' ? '(method default)' : text}</option>}
          {spec.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          data-testid={id}
          type="text"
          inputMode={spec.kind === 'int' || spec.kind === 'number' ? 'decimal' : undefined}
          list={spec.kind === 'number-or-enum' && spec.options ? `${id}-options` : undefined}
          value={text}
          placeholder={placeholder}
          disabled={disabled}
          onChange={(e) => onChange(spec.name, e.target.value)}
        />
      )}
      {spec.kind === 'number-or-enum' && spec.options && (
        <datalist id={`${id}-options`}>
          {spec.options.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      )}
      <small className="param-help">
        {spec.description}
        {defaultText !== '' && <> · default <code>{defaultText}</code></>}
        {spec.min !== undefined && <> · min {spec.min}</>}
        {spec.max !== undefined && <> · max {spec.max}</>}
      </small>
    </div>
  );
}

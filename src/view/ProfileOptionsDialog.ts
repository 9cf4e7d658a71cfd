/**
 * The body of the "Profile with Options…" dialog: one input per profiler setting, prefilled from
 * the saved settings, checked with the rules of `parseSettings` (src/settings.ts). What the user
 * enters applies to one profile only; the saved settings are never changed here.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { checkSettings, SETTING_MINIMUMS, type ISettingsCheck } from '../settings';
import type { IProfilerSettings } from '../tokens';

/** CSS class of the dialog body; each input carries `name` = its setting key. */
export const PROFILE_OPTIONS_CLASS = 'jp-AscendProfiler-options';

/** CSS class of the message under an input whose value is invalid. */
const ERROR_CLASS = 'jp-AscendProfiler-optionError';

/** Settings edited as numbers (the count settings with a minimum). */
const COUNT_KEYS = ['warmupRuns', 'recordedRuns', 'keepProfiles'] as const;

/** Settings edited with a checkbox. */
const BOOLEAN_KEYS = ['recordShapes', 'withStack', 'profileMemory'] as const;

/** Levels offered for `profilerLevel`, in the order of the schema's enum. */
const LEVELS: readonly IProfilerSettings['profilerLevel'][] = ['Level0', 'Level1', 'Level2'];

/**
 * What the form holds: strings as typed for text and number inputs (so an invalid entry survives
 * reopening the dialog), booleans for checkboxes.
 */
export type ProfileOptionsForm = Record<keyof IProfilerSettings, string | boolean>;

/** The form values of `settings`. */
export function formOf(settings: IProfilerSettings): ProfileOptionsForm {
  return {
    outputDir: settings.outputDir,
    profilerLevel: settings.profilerLevel,
    recordShapes: settings.recordShapes,
    withStack: settings.withStack,
    profileMemory: settings.profileMemory,
    warmupRuns: String(settings.warmupRuns),
    recordedRuns: String(settings.recordedRuns),
    keepProfiles: String(settings.keepProfiles)
  };
}

/**
 * Checks form values with the rules of the saved settings: count fields must be whole numbers of
 * at least their minimum, the folder must be relative and not hidden. Pure.
 */
export function checkForm(form: ProfileOptionsForm): ISettingsCheck {
  const raw: Record<string, unknown> = { ...form };
  for (const key of COUNT_KEYS) {
    const text = String(form[key]).trim();
    // An empty field is invalid, not 0 (Number('') is 0).
    raw[key] = text === '' ? text : Number(text);
  }
  return checkSettings(raw);
}

/** The dialog body; {@link ProfileOptionsBody.getValue} returns the checked values. */
export class ProfileOptionsBody extends Widget implements Dialog.IBodyWidget<ISettingsCheck> {
  /**
   * @param form - the values to show (the saved settings, or what the user entered before).
   * @param trans - translations of the plugin's domain.
   */
  constructor(form: ProfileOptionsForm, trans: TranslationBundle) {
    super();
    this.addClass(PROFILE_OPTIONS_CLASS);
    this._trans = trans;
    const t = trans;
    this._addText('outputDir', t.__('Output folder'), String(form.outputDir));
    this._addLevel(t.__('Ascend profiler level'), String(form.profilerLevel));
    this._addCount(
      'warmupRuns',
      t.__('Warm-up runs (not recorded; 0 shows first-run compiles, 1 or more the steady state)'),
      String(form.warmupRuns)
    );
    this._addCount(
      'recordedRuns',
      t.__('Recorded runs (one profiler step each)'),
      String(form.recordedRuns)
    );
    this._addCount(
      'keepProfiles',
      t.__('Run folders to keep (0 keeps all)'),
      String(form.keepProfiles)
    );
    this._addCheckbox('recordShapes', t.__('Record shapes'), form.recordShapes === true);
    this._addCheckbox('withStack', t.__('Record Python stacks (slower)'), form.withStack === true);
    this._addCheckbox('profileMemory', t.__('Record memory use (slower)'), form.profileMemory === true);
    this.node.addEventListener('input', () => this._showErrors());
    this._showErrors();
  }

  /** What the user entered, as typed. */
  getForm(): ProfileOptionsForm {
    const value = (key: keyof IProfilerSettings) => {
      const input = this._inputs.get(key)!;
      return input instanceof HTMLInputElement && input.type === 'checkbox'
        ? input.checked
        : input.value;
    };
    return {
      outputDir: value('outputDir'),
      profilerLevel: value('profilerLevel'),
      recordShapes: value('recordShapes'),
      withStack: value('withStack'),
      profileMemory: value('profileMemory'),
      warmupRuns: value('warmupRuns'),
      recordedRuns: value('recordedRuns'),
      keepProfiles: value('keepProfiles')
    };
  }

  /** The entered values checked with the settings rules (see {@link checkForm}). */
  getValue(): ISettingsCheck {
    return checkForm(this.getForm());
  }

  /** Marks each invalid input and says what it accepts. */
  private _showErrors(): void {
    const invalid = new Set(this.getValue().invalid);
    for (const [key, input] of this._inputs) {
      const message = this._errors.get(key);
      const bad = invalid.has(key);
      input.setAttribute('aria-invalid', String(bad));
      if (message) {
        message.textContent = bad ? this._rule(key) : '';
        message.hidden = !bad;
      }
    }
  }

  /** What `key` accepts, in words. */
  private _rule(key: keyof IProfilerSettings): string {
    if (key === 'outputDir') {
      return this._trans.__(
        'A folder relative to the notebook, without "..", a leading "/" or hidden (dot) parts.'
      );
    }
    const minimum = SETTING_MINIMUMS[key as (typeof COUNT_KEYS)[number]];
    return this._trans.__('A whole number, at least %1.', minimum);
  }

  private _row(label: string, input: HTMLInputElement | HTMLSelectElement, checkbox = false) {
    const row = document.createElement('label');
    row.style.display = 'block';
    row.style.margin = '0 0 8px 0';
    const text = document.createElement('span');
    text.textContent = label;
    if (checkbox) {
      row.append(input, ' ', text);
    } else {
      text.style.display = 'block';
      input.style.width = '100%';
      input.style.boxSizing = 'border-box';
      row.append(text, input);
    }
    this.node.appendChild(row);
    this._inputs.set(input.name as keyof IProfilerSettings, input);
    if (!checkbox) {
      const error = document.createElement('div');
      error.className = ERROR_CLASS;
      error.style.color = 'var(--jp-error-color1)';
      error.hidden = true;
      row.appendChild(error);
      this._errors.set(input.name as keyof IProfilerSettings, error);
    }
  }

  private _addText(key: keyof IProfilerSettings, label: string, value: string): void {
    const input = document.createElement('input');
    input.type = 'text';
    input.name = key;
    input.className = 'jp-mod-styled';
    input.value = value;
    this._row(label, input);
  }

  private _addCount(key: (typeof COUNT_KEYS)[number], label: string, value: string): void {
    const input = document.createElement('input');
    input.type = 'number';
    input.name = key;
    input.className = 'jp-mod-styled';
    input.min = String(SETTING_MINIMUMS[key]);
    input.step = '1';
    input.value = value;
    this._row(label, input);
  }

  private _addLevel(label: string, value: string): void {
    const select = document.createElement('select');
    select.name = 'profilerLevel';
    select.className = 'jp-mod-styled';
    for (const level of LEVELS) {
      const option = document.createElement('option');
      option.value = level;
      option.textContent = level;
      select.appendChild(option);
    }
    select.value = LEVELS.includes(value as IProfilerSettings['profilerLevel']) ? value : 'Level1';
    this._row(label, select);
  }

  private _addCheckbox(key: (typeof BOOLEAN_KEYS)[number], label: string, checked: boolean) {
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.name = key;
    input.checked = checked;
    this._row(label, input, true);
  }

  private readonly _trans: TranslationBundle;
  private readonly _inputs = new Map<keyof IProfilerSettings, HTMLInputElement | HTMLSelectElement>();
  private readonly _errors = new Map<keyof IProfilerSettings, HTMLElement>();
}

/**
 * Asks for the options of one profile, prefilled with `settings`. While the entered values are
 * invalid, OK reopens the dialog with them and says what each field accepts.
 *
 * @returns the options to profile with, or null when the user cancelled.
 */
export async function askProfileOptions(
  settings: IProfilerSettings,
  trans: TranslationBundle
): Promise<IProfilerSettings | null> {
  let form = formOf(settings);
  for (;;) {
    const body = new ProfileOptionsBody(form, trans);
    const result = await showDialog<ISettingsCheck>({
      title: trans.__('Profile with Options'),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Profile') })
      ],
      focusNodeSelector: 'input[name="recordedRuns"]'
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    if (result.value.invalid.length === 0) {
      return result.value.settings;
    }
    form = body.getForm();
  }
}

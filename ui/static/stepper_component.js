// The stepper's controls as a Streamlit component (ui/step_sync.py): stepper.js, which the HTML
// export also runs as a plain script, mounted in the component's element.
export default function (component) {
  const { parentElement, data, setStateValue, setTriggerValue } = component;
  window.lstmStepper.mount(parentElement.querySelector(".lstm-stepper-root"), data,
                           (name, value) => setStateValue(name, value), cell => setTriggerValue("inspect", cell));
}

// The unrolled chain as a Streamlit component (ui/chain.py): chain.js mounted in the component's
// element; a click on a cell is sent back as the "inspect" trigger.
export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  window.lstmChain.mount(parentElement.querySelector(".lstm-chain-root"), data,
                         cell => setTriggerValue("inspect", cell));
}
